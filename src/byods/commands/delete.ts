import { UsageError } from '../args';
import { audienceOf } from '../dataSourceView';
import { deleteDataSource } from '../operations';
import { CommandContext, ExitStatus, printJson, printLine, printMessage } from './context';

/**
 * `byods delete <id>`: shows what is about to go and asks (or takes --yes). Read first, so a wrong ID
 * fails before any question, and the record keeps what was deleted.
 */
export async function deleteCommand(ctx: CommandContext, request: { id: string; yes: boolean }): Promise<ExitStatus> {
  if (!request.yes && !ctx.confirm) throw new UsageError(`"${ctx.prog} delete" asks for confirmation on a terminal; without one, add --yes.`);
  const source = await ctx.api.get(request.id);
  const label = `${source.id} (${audienceOf(source) ?? 'no audience'}, ${source.url ?? 'no URL'}, ${source.status ?? 'status unknown'})`;
  if (!request.yes && !(await ctx.confirm!(`Delete data source ${label}? Webex stops sending it data; this cannot be undone.`))) {
    printMessage(ctx, 'Deletion cancelled; nothing was sent.');
    return 0;
  }
  const result = await deleteDataSource(ctx.api, ctx.records, source);
  if (ctx.json) printJson(ctx, { deleted: source.id, record: result.recordPath ?? null });
  else printLine(ctx, `Deleted data source ${label}.${result.recordPath ? ` Record: ${result.recordPath}` : ''}`);
  return 0;
}
