import { dataSourcesTable, withoutToken } from '../dataSourceView';
import { CommandContext, ExitStatus, printJson, printLine } from './context';

export async function listCommand(ctx: CommandContext): Promise<ExitStatus> {
  const sources = await ctx.api.list();
  if (ctx.json) printJson(ctx, sources.map(withoutToken));
  else printLine(ctx, dataSourcesTable(sources, ctx.now()));
  return 0;
}
