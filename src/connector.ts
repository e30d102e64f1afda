import type { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { createAppDirectClient } from './appdirect/client';
import { createNotificationVerifier } from './appdirect/notificationAuth';
import type { Config } from './config';
import { scheduleDataSourceRenewal } from './jobs/dataSourceRenewal';
import { JobRunner } from './jobs/runner';
import type { Logger } from './log';
import { createConnectorMetrics } from './metrics/connectorMetrics';
import { createApp } from './server/app';
import { createAuthThrottle } from './server/authThrottle';
import { openStore } from './store';
import type { Store } from './store/types';
import { createWebexClient } from './webex/client';

const MAX_HEADER_BYTES = 8 * 1024;

export interface RunningConnector {
  url: string;
  store: Store;
  runner: JobRunner;
  /** Stops taking notifications, lets work in flight finish (up to graceMs) and closes the store. */
  close(graceMs?: number): Promise<void>;
}

/** The composition root: builds every collaborator from the parsed config and serves. */
export async function startConnector(config: Config, opts: { logger: Logger; now?: () => number; host?: string }): Promise<RunningConnector> {
  const now = opts.now ?? Date.now;
  const { logger } = opts;
  const store = await openStore(config, { logger, now });
  const metrics = createConnectorMetrics();
  const webex = createWebexClient({
    baseUrl: config.webex.baseUrl,
    token: config.webex.token,
    timeoutMs: config.webex.timeoutMs,
    logger,
    onCall: metrics.webexCalls,
    onRetry: metrics.webexRetry,
  });
  const appDirect = createAppDirectClient({
    marketplaceBaseUrl: config.marketplaceBaseUrl,
    auth: config.appDirectAuth,
    timeoutMs: config.appDirectTimeoutMs,
    logger,
    now,
    onCall: metrics.appDirectCalls,
  });
  const runner = new JobRunner(
    { store, appDirect, handlers: { webex, settings: config.provisioning }, logger, now, observer: metrics.jobs },
    {
      ...config.jobs,
      pollIntervalMs: config.webex.pollIntervalMs,
      provisioningTimeoutMs: config.webex.provisioningTimeoutMs,
      tickMs: Math.min(1000, config.webex.pollIntervalMs),
      unansweredAfterMs: Math.max(config.jobs.syncBudgetMs, config.jobs.noticeBudgetMs) + 30_000,
    },
  );
  const verifier = createNotificationVerifier(config.notificationAuth, {
    nonces: { useOnce: (key, expiresAt) => store.useNonce(key, expiresAt, now()) },
    now,
  });
  const app = createApp({
    store,
    runner,
    verifier,
    notificationAuth: config.notificationAuth,
    marketplaceBaseUrl: config.marketplaceBaseUrl,
    logger,
    now,
    syncBudgetMs: config.jobs.syncBudgetMs,
    noticeBudgetMs: config.jobs.noticeBudgetMs,
    authThrottle: createAuthThrottle({ maxFailures: 20, windowMs: 5 * 60_000, now }),
    metrics,
    trustProxy: config.trustProxy,
    admin: config.adminToken ? { token: config.adminToken, throttle: createAuthThrottle({ maxFailures: 10, windowMs: 15 * 60_000, now }) } : undefined,
  });

  await runner.start();
  const renewal = scheduleDataSourceRenewal(config, logger);
  // Small header limit: AppDirect's notifications carry one Authorization header and a short query.
  const server: Server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(config.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, dataDir: config.dataDir, notificationAuth: config.notificationAuth.mode }, 'connector listening');

  return {
    url,
    store,
    runner,
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      renewal?.stop();
      await runner.stop(graceMs);
      server.closeIdleConnections();
      await closed;
      await store.close();
    },
  };
}
