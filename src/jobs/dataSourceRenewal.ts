import { join } from 'node:path';
import { renewDataSources, type RenewalReport } from '../byods/renew';
import { TOKEN_FILE_NAME, TokenFile } from '../byods/tokenFile';
import type { Config, DataSourceRenewalConfig } from '../config';
import type { Logger } from '../log';
import type { DataSourceRenewalObserver } from '../metrics/observers';
import { DataSourcesApi } from '../webex/dataSources';
import { WebexHttp } from '../webex/http';
import { WebexTokenSource } from '../webex/tokenSource';
import type { TokenVault } from '../webex/tokenVault';

/**
 * Renews BYODS data-source tokens from inside the server, so no cron job or cloud function is needed.
 * `runDataSourceRenewal` is one run, a plain function a job can call; `scheduleDataSourceRenewal` calls
 * it at start and then every `everyMinutes`. Each run only touches tokens close to expiry, so a run
 * that overlaps a manual `byods extend` does no harm.
 */

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
    deps.logger.error({ problem: err instanceof Error ? err.message : String(err) }, 'BYODS token renewal could not list the data sources');
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
  deps: { baseUrl: string; timeoutMs: number; logger: Logger; vault?: TokenVault },
): { api: DataSourcesApi; tokens: WebexTokenSource } {
  const tokens = new WebexTokenSource({
    baseUrl: deps.baseUrl,
    logger: deps.logger,
    client: renewal.client,
    refreshToken: renewal.refreshToken,
    bootstrap: renewal.bootstrap,
    vault: deps.vault,
    names: { client: 'BYODS_CLIENT_ID and BYODS_CLIENT_SECRET', refreshToken: 'BYODS_REFRESH_TOKEN', personalToken: 'BYODS_PERSONAL_TOKEN' },
    http: { timeoutMs: deps.timeoutMs },
  });
  const http = new WebexHttp({ baseUrl: deps.baseUrl, getToken: tokens.getToken, refreshToken: tokens.refreshToken, logger: deps.logger, timeoutMs: deps.timeoutMs });
  return { api: new DataSourcesApi(http), tokens };
}

export function scheduleDataSourceRenewal(config: Config, deps: { logger: Logger; now: () => number; observer?: DataSourceRenewalObserver }): { stop(): void } | undefined {
  const renewal = config.dataSourceRenewal;
  if (!renewal) return undefined;
  // Until the store keeps them, the service app's tokens live in a token file in DATA_DIR, as byods keeps its own.
  const vault = new TokenFile(join(config.dataDir, TOKEN_FILE_NAME));
  const { api } = serviceAppDataSources(renewal, { baseUrl: config.webex.baseUrl, timeoutMs: config.webex.timeoutMs, logger: deps.logger, vault });
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    // A failed run is logged and counted inside; the next one is on schedule.
    await runDataSourceRenewal(renewal, { api, ...deps }).catch(() => undefined);
    running = false;
  };
  void run();
  const timer = setInterval(() => void run(), renewal.everyMinutes * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
