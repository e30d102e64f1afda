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
}

/** Exit status of a command that ran to its end: 0 all done, 1 something failed at Webex. */
export type ExitStatus = 0 | 1;

export function printLine(ctx: CommandContext, text: string): void {
  ctx.stdout.write(`${text}\n`);
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
