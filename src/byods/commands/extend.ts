import { tokenExpiresAt } from '../dataSourceView';
import { formatTimeLeft } from '../format';
import { dueForRenewal, extendEach } from '../renew';
import { CommandContext, ExitStatus, printJson, printLine } from './context';

export interface ExtendRequest {
  ids: string[] | 'all';
  expiringWithinMinutes?: number;
  tokenLifetimeMinutes: number;
}

/** Renews the named data sources, or every active one (expiring soon) with --all; made for cron. */
export async function extendCommand(ctx: CommandContext, request: ExtendRequest): Promise<ExitStatus> {
  const { ids, skipped } = request.ids === 'all' ? await selectDue(ctx, request.expiringWithinMinutes) : { ids: request.ids, skipped: 0 };
  const outcome = await extendEach(ctx.api, ids, request.tokenLifetimeMinutes, ctx.records);
  for (const failure of outcome.failed) ctx.stderr.write(`Could not extend ${failure.id}: ${failure.message}\n`);

  if (ctx.json) {
    printJson(ctx, { renewed: outcome.renewed.map(({ id, tokenExpiryTime }) => ({ id, tokenExpiryTime })), failed: outcome.failed, skipped });
  } else {
    for (const source of outcome.renewed) {
      const expiresAt = tokenExpiresAt(source);
      printLine(ctx, `Extended ${source.id}: token expires ${expiresAt?.toISOString() ?? 'at an unknown time'} (${formatTimeLeft(expiresAt, ctx.now())}).`);
    }
    printLine(ctx, `${outcome.renewed.length} extended, ${outcome.failed.length} failed, ${skipped} skipped.`);
  }
  return outcome.failed.length ? 1 : 0;
}

async function selectDue(ctx: CommandContext, withinMinutes: number | undefined): Promise<{ ids: string[]; skipped: number }> {
  const sources = await ctx.api.list();
  const ids = dueForRenewal(sources, withinMinutes, ctx.now()).map((source) => source.id);
  return { ids, skipped: sources.length - ids.length };
}
