import { formatTimeLeft } from '../format';
import { renewDataSources, type RenewalOutcome } from '../renew';
import { CommandContext, ExitStatus, printJson, printLine } from './context';

export interface ExtendRequest {
  ids: string[] | 'all';
  expiringWithinMinutes?: number;
  tokenLifetimeMinutes: number;
}

/**
 * Renews the named data sources, or every active one (expiring soon) with --all. Made for cron: one
 * line per data source, a summary, and exit status 1 when any renewal failed.
 */
export async function extendCommand(ctx: CommandContext, request: ExtendRequest): Promise<ExitStatus> {
  const report = await renewDataSources(ctx.api, {
    ids: request.ids,
    withinMinutes: request.expiringWithinMinutes,
    lifetimeMinutes: request.tokenLifetimeMinutes,
    records: ctx.records,
    now: ctx.now,
    prog: ctx.prog,
  });
  const count = (kind: RenewalOutcome['outcome']) => report.outcomes.filter((outcome) => outcome.outcome === kind).length;
  if (ctx.json) {
    printJson(ctx, {
      results: report.outcomes.map(outcomeJson),
      renewed: count('renewed'),
      failed: count('failed'),
      skipped: count('skipped'),
      earliestTokenExpiry: report.earliestExpiry?.toISOString() ?? null,
    });
  } else {
    for (const outcome of report.outcomes) printLine(ctx, line(outcome, ctx.now()));
    printLine(ctx, `${count('renewed')} extended, ${count('failed')} failed, ${count('skipped')} skipped.`);
  }
  return count('failed') ? 1 : 0;
}

function line(outcome: RenewalOutcome, now: Date): string {
  switch (outcome.outcome) {
    case 'renewed':
      return `extended ${outcome.id}: token expires ${outcome.tokenExpiresAt?.toISOString() ?? 'at an unknown time'} (${formatTimeLeft(outcome.tokenExpiresAt, now)})`;
    case 'failed':
      return `failed   ${outcome.id}: ${outcome.reason}`;
    case 'skipped':
      return `skipped  ${outcome.id}: ${outcome.reason}`;
  }
}

function outcomeJson(outcome: RenewalOutcome): Record<string, unknown> {
  return {
    id: outcome.id,
    outcome: outcome.outcome,
    reason: outcome.outcome === 'renewed' ? null : outcome.reason,
    tokenExpiresAt: outcome.outcome === 'failed' ? null : (outcome.tokenExpiresAt?.toISOString() ?? null),
  };
}
