import { tokenExpiresAt, withoutToken } from '../dataSourceView';
import { formatTimeLeft } from '../format';
import type { OperationResult } from '../operations';
import { CommandContext, printJson, printLine } from './context';

/** "Registered data source X (active); token expires … (24h 0m)." plus where the record went. */
export function printOperationResult(ctx: CommandContext, verb: string, result: OperationResult): void {
  if (ctx.json) return printJson(ctx, withoutToken(result.dataSource));
  printLine(ctx, `${verb} data source ${result.dataSource.id} (${result.dataSource.status ?? 'status unknown'}); ${tokenSummary(result, ctx.now())}.`);
  if (result.recordPath) printLine(ctx, `Record: ${result.recordPath}`);
}

function tokenSummary(result: OperationResult, now: Date): string {
  const expiresAt = tokenExpiresAt(result.dataSource);
  return expiresAt ? `token expires ${expiresAt.toISOString()} (${formatTimeLeft(expiresAt, now)})` : 'token expiry unknown';
}
