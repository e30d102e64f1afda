import { TokenSession } from '../byods/auth';
import { renewExpiringDataSources } from '../byods/renew';
import type { Config } from '../config';
import type { Logger } from '../log';
import { DataSourcesApi } from '../webex/dataSources';
import { WebexHttp } from '../webex/http';

/**
 * Renews BYODS data-source tokens from inside the server, so no cron job or cloud function is needed:
 * once at start, then every `everyMinutes`. Each run only touches tokens close to expiry, so a run
 * that overlaps a manual `byods extend` does no harm.
 */
export function scheduleDataSourceRenewal(config: Config, logger: Logger): { stop(): void } | undefined {
  const renewal = config.dataSourceRenewal;
  if (!renewal) return undefined;
  const session = new TokenSession(
    { baseUrl: config.webex.baseUrl, logLevel: config.logLevel, serviceApp: { credentials: renewal.serviceApp, personalToken: renewal.personalToken, personalTokenName: 'BYODS_PERSONAL_TOKEN' } },
    logger,
  );
  const api = new DataSourcesApi(new WebexHttp({ baseUrl: config.webex.baseUrl, getToken: session.getToken, refreshToken: session.refreshToken, logger, timeoutMs: config.webex.timeoutMs }));
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const outcome = await renewExpiringDataSources(api, { withinMinutes: renewal.withinMinutes, lifetimeMinutes: renewal.lifetimeMinutes, logger });
      logger.info({ renewed: outcome.renewed.length, failed: outcome.failed.length, skipped: outcome.skipped }, 'BYODS token renewal run finished');
    } catch (err) {
      logger.error({ problem: err instanceof Error ? err.message : String(err) }, 'BYODS token renewal could not list the data sources');
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), renewal.everyMinutes * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
