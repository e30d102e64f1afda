import type { DataSource, DataSourcesApi } from '../webex/dataSources';
import { tokenExpiresAt } from './dataSourceView';
import { describeFailure } from './failures';
import { formatTimeLeft } from './format';
import { extendDataSource } from './operations';
import type { RecordWriter } from './records';

/** What became of one data source in a renewal run. */
export type RenewalOutcome =
  | { id: string; outcome: 'renewed'; tokenExpiresAt?: Date }
  | { id: string; outcome: 'failed'; reason: string }
  | { id: string; outcome: 'skipped'; reason: string; tokenExpiresAt?: Date };

export interface RenewalReport {
  /** One per data source, in Webex's order (or the order of the IDs given). */
  outcomes: RenewalOutcome[];
  /** When the first token of an active data source expires, after the run: the one to watch. */
  earliestExpiry?: Date;
}

export interface RenewalRequest {
  /** Named data sources are renewed whatever their state; 'all' takes the active ones, due ones only with `withinMinutes`. */
  ids: string[] | 'all';
  withinMinutes?: number;
  lifetimeMinutes: number;
  records?: RecordWriter;
  now: () => Date;
  /** byods as the person typed it, for hints in failure reasons. */
  prog?: string;
}

/**
 * Renews data-source tokens (a new nonce, everything else kept), for `byods extend`, the menu and the
 * server's scheduled renewal alike. One failure does not stop the others; only a list that cannot be
 * read is thrown. Safe to run often: with a window, tokens with time left are skipped.
 */
export async function renewDataSources(api: DataSourcesApi, request: RenewalRequest): Promise<RenewalReport> {
  const candidates = request.ids === 'all' ? await api.list() : request.ids.map((id) => ({ id }) as DataSource);
  const outcomes: RenewalOutcome[] = [];
  for (const source of candidates) {
    const skip = request.ids === 'all' ? reasonToSkip(source, request.withinMinutes, request.now()) : undefined;
    if (skip) {
      outcomes.push({ id: source.id, outcome: 'skipped', reason: skip, tokenExpiresAt: tokenExpiresAt(source) });
      continue;
    }
    try {
      const renewed = (await extendDataSource(api, request.records, source.id, request.lifetimeMinutes)).dataSource;
      outcomes.push({ id: source.id, outcome: 'renewed', tokenExpiresAt: tokenExpiresAt(renewed) });
    } catch (err) {
      outcomes.push({ id: source.id, outcome: 'failed', reason: describeFailure(err, request.prog) });
    }
  }
  return { outcomes, earliestExpiry: earliestActiveExpiry(candidates, outcomes) };
}

/**
 * A disabled source receives no data, so it is left alone; so is one with more time left than the
 * window. A source whose expiry cannot be read is renewed: a needless renewal costs nothing, a missed
 * one stops the data.
 */
function reasonToSkip(source: DataSource, withinMinutes: number | undefined, now: Date): string | undefined {
  if (source.status === 'disabled') return 'disabled';
  if (withinMinutes === undefined) return undefined;
  const expiresAt = tokenExpiresAt(source);
  if (!expiresAt || expiresAt.getTime() - now.getTime() <= withinMinutes * 60_000) return undefined;
  return `token expires ${expiresAt.toISOString()} (${formatTimeLeft(expiresAt, now)} left), beyond the ${withinMinutes}-minute window`;
}

function earliestActiveExpiry(candidates: DataSource[], outcomes: RenewalOutcome[]): Date | undefined {
  const times = outcomes.flatMap((outcome, index) => {
    if (candidates[index].status === 'disabled') return [];
    const expiresAt = outcome.outcome === 'failed' ? tokenExpiresAt(candidates[index]) : outcome.tokenExpiresAt;
    return expiresAt ? [expiresAt.getTime()] : [];
  });
  return times.length ? new Date(Math.min(...times)) : undefined;
}
