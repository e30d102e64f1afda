import { renewDataSources, type RenewalReport } from '../byods/renew';
import type { DataSourceRenewalConfig } from '../config';
import type { Logger } from '../log';
import type { DataSourceRenewalObserver } from '../metrics/observers';
import type { Store } from '../store';
import { DataSourcesApi } from '../webex/dataSources';
import { WebexHttp, type WebexHttpOptions } from '../webex/http';
import { WebexTokenSource } from '../webex/tokenSource';
import type { TokenVault } from '../webex/tokenVault';
import { errorText, JobHandler } from './runner';

export const DATA_SOURCE_RENEWAL = 'byods.renewal';
/** One renewal job for the whole deployment: on several instances, one of them runs it at a time. */
const RENEWAL_JOB_ID = 'byods-renewal';

export interface DataSourceRenewalDeps {
  api: DataSourcesApi;
  logger: Logger;
  now: () => number;
  observer?: DataSourceRenewalObserver;
}

/** One run: what became of each data source, and when the first active token expires. Throws when the list cannot be read. */
export async function runDataSourceRenewal(settings: Pick<DataSourceRenewalConfig, 'withinMinutes' | 'lifetimeMinutes'>, deps: DataSourceRenewalDeps): Promise<RenewalReport> {
  let report: RenewalReport;
  try {
    report = await renewDataSources(deps.api, { ids: 'all', withinMinutes: settings.withinMinutes, lifetimeMinutes: settings.lifetimeMinutes, now: () => new Date(deps.now()) });
  } catch (err) {
    deps.observer?.listFailed();
    deps.logger.error({ problem: errorText(err) }, 'BYODS token renewal could not list the data sources');
    throw err;
  }
  const count = { renewed: 0, failed: 0, skipped: 0 };
  for (const outcome of report.outcomes) {
    count[outcome.outcome] += 1;
    if (outcome.outcome === 'renewed') deps.logger.info({ dataSourceId: outcome.id, tokenExpiryTime: outcome.tokenExpiresAt?.toISOString() }, 'BYODS data source token renewed');
    if (outcome.outcome === 'failed') deps.logger.warn({ dataSourceId: outcome.id, reason: outcome.reason }, 'BYODS data source token renewal failed');
  }
  const earliestExpiry = report.earliestExpiry?.getTime();
  deps.observer?.runFinished({ renewed: count.renewed, failed: count.failed, earliestExpiry });
  deps.logger.info({ ...count, earliestTokenExpiry: report.earliestExpiry?.toISOString() }, 'BYODS token renewal run finished');
  return report;
}

/**
 * The service app's data-sources client, authorised by the project's one token source: the service app's
 * refresh token first, the personal token only to bootstrap. Without a vault its tokens live in memory.
 */
export function serviceAppDataSources(
  renewal: DataSourceRenewalConfig,
  deps: { baseUrl: string; timeoutMs: number; logger: Logger; vault?: TokenVault; http?: Pick<WebexHttpOptions, 'onCall' | 'onRetry'> },
): { api: DataSourcesApi; tokens: WebexTokenSource } {
  const tokens = new WebexTokenSource({
    baseUrl: deps.baseUrl,
    logger: deps.logger,
    client: renewal.client,
    refreshToken: renewal.refreshToken,
    bootstrap: renewal.bootstrap,
    vault: deps.vault,
    names: { client: 'BYODS_CLIENT_ID and BYODS_CLIENT_SECRET', refreshToken: 'BYODS_REFRESH_TOKEN', personalToken: 'BYODS_PERSONAL_TOKEN' },
    http: { timeoutMs: deps.timeoutMs, ...deps.http },
  });
  const http = new WebexHttp({ baseUrl: deps.baseUrl, getToken: tokens.getToken, refreshToken: tokens.refreshToken, logger: deps.logger, timeoutMs: deps.timeoutMs, ...deps.http });
  return { api: new DataSourcesApi(http), tokens };
}

/**
 * Renews BYODS data-source tokens from inside the server, so no cron job or cloud function is needed: a job
 * that runs, then comes back every `everyMinutes`. Each run only touches tokens close to expiry, so a run that
 * overlaps a manual `byods extend` does no harm. A failed run is logged and counted; the next is on schedule.
 */
export function dataSourceRenewalHandler(renewal: DataSourceRenewalConfig, deps: Omit<DataSourceRenewalDeps, 'logger' | 'now'>): JobHandler {
  return {
    kind: DATA_SOURCE_RENEWAL,
    async run(ctx) {
      await runDataSourceRenewal(renewal, { ...deps, logger: ctx.log, now: ctx.now }).catch(() => undefined);
      return { kind: 'later', runAt: ctx.now() + renewal.everyMinutes * 60_000, failed: false, waitingFor: 'the next renewal run' };
    },
  };
}

/** At start the first run is due at once; afterwards each run schedules the next. */
export async function scheduleDataSourceRenewal(store: Store, now: number): Promise<void> {
  const added = await store.queue.enqueue({ id: RENEWAL_JOB_ID, kind: DATA_SOURCE_RENEWAL, runAt: now }, now);
  if (!added) await store.queue.bringForward(RENEWAL_JOB_ID, now, now);
}
