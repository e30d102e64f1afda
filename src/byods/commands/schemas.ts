import { formatTable } from '../format';
import { CommandContext, ExitStatus, printJson, printLine } from './context';

export async function schemasCommand(ctx: CommandContext): Promise<ExitStatus> {
  const schemas = await ctx.api.listSchemas();
  if (ctx.json) printJson(ctx, schemas);
  else if (!schemas.length) printLine(ctx, 'Webex lists no data source schemas.');
  else printLine(ctx, formatTable(['ID', 'Service type', 'Description'], schemas.map((schema) => [schema.id, schema.serviceType ?? '-', schema.description ?? '-'])));
  return 0;
}
