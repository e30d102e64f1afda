import { readFileSync } from 'node:fs';
import { ExplainedError } from './failures';

/** The JSON in a file the owner named; `what` names it in the one-line message when it cannot be read. */
export function readJsonFile(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? 'it is not valid JSON' : ((err as NodeJS.ErrnoException).code ?? 'unreadable');
    throw new ExplainedError(`Cannot read ${what} ${path}: ${reason}.`);
  }
}
