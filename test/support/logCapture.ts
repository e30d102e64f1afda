import { Writable } from 'node:stream';
import { createLogger, Logger } from '../../src/log';

/** A real pino logger whose JSON lines are kept, so tests can read what an operator would see. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), lines };
}
