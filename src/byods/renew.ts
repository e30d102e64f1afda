import type { Logger } from '../log';
import type { DataSource, DataSourcesApi } from '../webex/dataSources';
import { tokenExpiresAt } from './dataSourceView';
import { describeFailure } from './failures';
import { extendDataSource } from './operations';
import type { RecordWriter } from './records';

export interface RenewalOutcome {
  renewed: DataSource[];
  failed: Array<{ id: string; message: string }>;
}

/**
 * Which data sources need a new token within `withinMinutes` (every active one when undefined).
 * A disabled source receives no data, so it is left alone; a source whose expiry cannot be read
 * is renewed, because a needless renewal costs nothing and a missed one stops the data.
 */
export function dueForRenewal(sources: DataSource[], withinMinutes: number | undefined, now: Date): DataSource[] {
  return sources.filter((source) => {
    if (source.status === 'disabled') return false;
    if (withinMinutes === undefined) return true;
    const expiresAt = tokenExpiresAt(source);
    return !expiresAt || expiresAt.getTime() - now.getTime() <= withinMinutes * 60_000;
  });
}

/** Extends each one in turn; one failure does not stop the others. */
export async function extendEach(api: DataSourcesApi, ids: string[], lifetimeMinutes: number, records: RecordWriter | undefined): Promise<RenewalOutcome> {
  const outcome: RenewalOutcome = { renewed: [], failed: [] };
  for (const id of ids) {
    try {
      outcome.renewed.push((await extendDataSource(api, records, id, lifetimeMinutes)).dataSource);
    } catch (err) {
      outcome.failed.push({ id, message: describeFailure(err) });
    }
  }
  return outcome;
}

/**
 * Renews every active data source whose token expires within `withinMinutes`; safe to call on a
 * schedule because sources with time left are skipped. Throws only when the list cannot be read.
 */
export async function renewExpiringDataSources(
  api: DataSourcesApi,
  opts: { withinMinutes: number; lifetimeMinutes: number; records?: RecordWriter | undefined; logger: Logger; now?: () => Date },
): Promise<{ renewed: string[]; failed: Array<{ id: string; message: string }>; skipped: number }> {
  const sources = await api.list();
  const due = dueForRenewal(sources, opts.withinMinutes, opts.now?.() ?? new Date());
  const outcome = await extendEach(api, due.map((source) => source.id), opts.lifetimeMinutes, opts.records);
  for (const source of outcome.renewed) opts.logger.info({ dataSourceId: source.id, tokenExpiryTime: source.tokenExpiryTime }, 'BYODS data source token renewed');
  for (const failure of outcome.failed) opts.logger.warn({ dataSourceId: failure.id, reason: failure.message }, 'BYODS data source token renewal failed');
  return { renewed: outcome.renewed.map((source) => source.id), failed: outcome.failed, skipped: sources.length - due.length };
}
