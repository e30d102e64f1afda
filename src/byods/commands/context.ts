import type { DataSourcesApi } from '../../webex/dataSources';
import type { RecordWriter } from '../records';

/** What a command needs; main builds it once, tests can build it around a simulator. */
export interface CommandContext {
  api: DataSourcesApi;
  records: RecordWriter;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  json: boolean;
  now: () => Date;
  /** byods as the person typed it ("npm run byods --", "byods"), for hints that name a command. */
  prog: string;
  /** Asks a y/N question on the terminal; absent when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
}

/** Exit status of a command that ran to its end: 0 all done, 1 something failed at Webex (or a token is not valid). */
export type ExitStatus = 0 | 1;

export function printLine(ctx: CommandContext, text: string): void {
  ctx.stdout.write(`${text}\n`);
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A message about what byods did or could not do, apart from the output: stderr, in byods's one style. */
export function printMessage(ctx: Pick<CommandContext, 'stderr'>, text: string): void {
  ctx.stderr.write(`byods: ${text}\n`);
}
