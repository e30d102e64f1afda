import type { DataSource, DataSourceSchema, DataSourcesApi } from '../../webex/dataSources';
import { describeFailure } from '../failures';
import { OperationFailed } from '../operations';
import type { RecordWriter } from '../records';
import type { Parsed } from '../validation';
import type { Prompter } from './prompter';

export interface MenuContext {
  api: DataSourcesApi;
  records: RecordWriter;
  prompter: Prompter;
  /** Failures go here (stderr), so they stand out from the menu. */
  errors: NodeJS.WritableStream;
  now: () => Date;
  /** byods as the person typed it, for hints that name a command. */
  prog: string;
}

/** What the menu shows, as loaded at start and on each refresh. */
export interface MenuState {
  sources: DataSource[];
  schemas: DataSourceSchema[];
}

export function reportFailure(ctx: MenuContext, err: unknown): void {
  const record = err instanceof OperationFailed && err.recordPath ? ` (details in ${err.recordPath})` : '';
  ctx.errors.write(`byods: ${describeFailure(err, ctx.prog)}${record}\n`);
}

/** Accepts 1..count, for picking a data source or a schema by its number. */
export function parseNumberUpTo(count: number): (text: string) => Parsed<number> {
  return (text) => {
    const number = /^\d+$/.test(text) ? Number(text) : NaN;
    return number >= 1 && number <= count ? { ok: true, value: number } : { ok: false, reason: `choose a number from 1 to ${count}` };
  };
}

/** Asks which listed data source an action is for ("extend", "delete"); undefined, said so, when there is none. */
export async function pickDataSource(ctx: MenuContext, state: MenuState, action: string): Promise<string | undefined> {
  if (!state.sources.length) {
    ctx.prompter.say(`There are no data sources to ${action}.`);
    return undefined;
  }
  const number = await ctx.prompter.askValid(`Data source to ${action} (1-${state.sources.length})`, parseNumberUpTo(state.sources.length));
  return state.sources[number - 1].id;
}
