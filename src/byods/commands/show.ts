import { withoutToken } from '../dataSourceView';
import { formatDetails } from '../details';
import { CommandContext, ExitStatus, printJson, printLine } from './context';

export async function showCommand(ctx: CommandContext, id: string): Promise<ExitStatus> {
  const source = await ctx.api.get(id);
  if (ctx.json) {
    printJson(ctx, withoutToken(source));
  } else {
    const schemas = await ctx.api.listSchemas();
    printLine(ctx, formatDetails(source, schemas, ctx.now()));
  }
  return 0;
}
