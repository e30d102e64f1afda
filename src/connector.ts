import type { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createAppDirectClient } from './appdirect/client';
import { createNotificationVerifier } from './appdirect/notificationAuth';
import { TOKEN_FILE_NAME, TokenFile } from './byods/tokenFile';
import { Clock, systemClock } from './clock';
import type { Config } from './config';
import { consentWatchHandler } from './jobs/consentWatch';
import { dataSourceRenewalHandler, scheduleDataSourceRenewal, serviceAppDataSources } from './jobs/dataSourceRenewal';
import { eventWorkHandler } from './jobs/eventWork';
import { resultDeliveryHandler } from './jobs/resultDelivery';
import { JobHandler, JobRunner, Sweep } from './jobs/runner';
import { EVENT_WORK } from './jobs/eventJobs';
import { CONSENT_WATCH } from './provisioning/consentJobs';
import { WebexPacer } from './webex/pacer';
import { unansweredNotificationsSweep } from './jobs/unanswered';
import { credentialCheckHandler, scheduleCredentialCheck, WebexCredentialWatch } from './jobs/webexCredentials';
import { connectorTokenSource, connectorWebexClient } from './jobs/webexAccess';
import { configuredReconciler, reconciliationHandler, scheduleReconciliation } from './jobs/reconcile';
import { journalRetentionHandler, scheduleJournalRetention } from './jobs/retention';
import { latestSummary } from './reconcile/stored';
import type { Logger } from './log';
import { createConnectorMetrics, ConnectorMetrics } from './metrics/connectorMetrics';
import { createApp, createMetricsApp } from './server/app';
import { createFailureCounter } from './server/failureCounters';
import { createFailureThrottle, FAILURE_THROTTLE_DEFAULTS, FailureThrottleSettings } from './server/failureThrottle';
import type { Lifecycle } from './server/receiver';
import { openStore, Store } from './store';

const MAX_HEADER_BYTES = 8 * 1024;
/** How often the runner looks at the queue when nothing told it of work (other instances' work, say). */
const IDLE_POLL_MS = 1000;

export interface RunningConnector {
  url: string;
  /** Where /metrics is served: the main URL, or METRICS_PORT's. */
  metricsUrl: string;
  store: Store;
  runner: JobRunner;
  /** Stops taking notifications, lets work in flight finish (up to graceMs) and closes the store. */
  close(graceMs?: number): Promise<void>;
}

export interface ConnectorOptions {
  logger: Logger;
  /** Time for the background machinery (job polls, leases, sweeps); the system clock by default. */
  clock?: Clock;
  /** Background sweeps run only when a test calls `runner.runSweeps()`, so they cannot race it. */
  manualSweeps?: boolean;
  host?: string;
  /** How failed authentication is slowed down; the defaults unless a test needs shorter delays or a lower ceiling. */
  failureThrottle?: Partial<FailureThrottleSettings>;
}

/** The composition root: builds every collaborator from the parsed config and serves. */
export async function startConnector(config: Config, opts: ConnectorOptions): Promise<RunningConnector> {
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const { logger } = opts;
  for (const warning of config.warnings) logger.warn(warning);
  const store = await openStore(config, {
    onIdleError: (err) => logger.warn({ err: err.message }, 'a pooled database connection failed; it will be replaced'),
    onWarning: (message, fields) => logger.warn(fields, message),
  });
  const metrics = createConnectorMetrics(now);
  const webexObservers = { onCall: metrics.webexCalls, onRetry: metrics.webexRetry };
  const webexTokens = connectorTokenSource(config, store, logger, now, webexObservers);
  const credentialWatch = new WebexCredentialWatch({ tokens: webexTokens, store, logger, now });
  metrics.watchWebexCredentials(() => credentialWatch.status());
  const pacer = new WebexPacer({ maxPerSecond: config.webex.maxCallsPerSecond, now });
  const webex = connectorWebexClient(config, webexTokens, logger, webexObservers, { pacer });
  const appDirect = createAppDirectClient({
    marketplaceBaseUrl: config.marketplaceBaseUrl,
    auth: config.appDirectAuth,
    timeoutMs: config.appDirectTimeoutMs,
    maxEventBytes: config.appDirectMaxEventBytes,
    logger,
    now,
    onCall: metrics.appDirectCalls,
  });
  const stopping = new AbortController();
  // Every notification waiting for its result listens for the shutdown: many at once is normal.
  setMaxListeners(0, stopping.signal);
  metrics.watchDrift(() => latestSummary(store));
  const retry = { retryBaseMs: config.jobs.retryBaseMs, retryMaxMs: config.jobs.retryMaxMs };
  const provisioning = { webex, settings: config.provisioning, accounts: store.accounts };
  const handlers: JobHandler<any>[] = [
    eventWorkHandler(
      { store, appDirect, handlers: provisioning, observer: metrics.jobs, credentials: credentialWatch },
      { ...retry, maxAttempts: config.jobs.maxAttempts, pollIntervalMs: config.webex.pollIntervalMs, provisioningTimeoutMs: config.webex.provisioningTimeoutMs },
    ),
    consentWatchHandler(provisioning, { ...config.consent, ...retry, pollIntervalMs: config.webex.pollIntervalMs }),
    resultDeliveryHandler({ store, appDirect, observer: metrics.jobs }, retry),
    credentialCheckHandler(credentialWatch),
    ...dataSourceRenewal(config, logger, metrics),
    ...backgroundReconciliation(config, { store, tokens: webexTokens, logger, now, observers: webexObservers }, stopping.signal),
    ...(config.retention ? [journalRetentionHandler(store, config.retention, metrics.retention)] : []),
  ];
  const runner = new JobRunner(
    {
      store,
      logger,
      clock,
      handlers,
      sweeps: [
        unansweredNotificationsSweep(store, { unansweredAfterMs: Math.max(config.jobs.syncBudgetMs, config.jobs.noticeBudgetMs) + 30_000, everyMs: 5000 }),
        ...paceShareSweep(store, pacer, config),
      ],
      // Work that would only wait for Webex's pace stays in the queue, unclaimed, while the pace is behind.
      holdsFor: (kind) => (WEBEX_PACED.has(kind) ? pacer.backlogMs() - PACE_BACKLOG_LIMIT_MS : 0),
    },
    { ...retry, concurrency: config.jobs.concurrency, leaseMs: config.jobs.leaseMs, idlePollMs: IDLE_POLL_MS, instanceId: store.dialect === 'postgres' ? config.instanceId : undefined, manualSweeps: opts.manualSweeps },
  );
  const lifecycle: Lifecycle = { isStopping: () => stopping.signal.aborted, stopping: stopping.signal };
  const verifier = createNotificationVerifier(config.notificationAuth, {
    nonces: { useOnce: (key, expiresAt) => store.nonces.useOnce(key, expiresAt, now()) },
    now,
  });
  const throttleSettings = { ...FAILURE_THROTTLE_DEFAULTS, ...opts.failureThrottle };
  const failures = createFailureThrottle({
    counter: await createFailureCounter(store, throttleSettings.windowMs),
    settings: throttleSettings,
    now,
    stopping: stopping.signal,
    onFailure: metrics.authFailure,
  });
  const app = createApp({
    store,
    lifecycle,
    verifier,
    notificationAuth: config.notificationAuth,
    marketplaceBaseUrl: config.marketplaceBaseUrl,
    logger,
    now,
    syncBudgetMs: config.jobs.syncBudgetMs,
    noticeBudgetMs: config.jobs.noticeBudgetMs,
    failures,
    metrics,
    trustProxy: config.trustProxy,
    metricsEndpoint: config.metrics.port === undefined ? { here: true, token: config.metrics.token } : { here: false },
    admin: config.adminToken
      ? {
          token: config.adminToken,
          credentials: () => credentialWatch.status(),
          reconcileSchedule: config.reconcile.everyMinutes ? { everyMinutes: config.reconcile.everyMinutes, fix: config.reconcile.fix } : undefined,
        }
      : undefined,
  });

  if (config.dataSourceRenewal) await scheduleDataSourceRenewal(store, now());
  await scheduleCredentialCheck(store, now());
  if (config.reconcile.everyMinutes) await scheduleReconciliation(store, now(), config.reconcile.everyMinutes);
  if (config.retention) await scheduleJournalRetention(store, now());
  await runner.start();
  // Small header limit: AppDirect's notifications carry one Authorization header and a short query.
  const host = opts.host ?? '0.0.0.0';
  const server = await listen(createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app), config.port, host);
  const metricsServer =
    config.metrics.port === undefined
      ? undefined
      : await listen(
          createServer({ maxHeaderSize: MAX_HEADER_BYTES }, createMetricsApp({ store, metrics, logger, now, failures, trustProxy: config.trustProxy, token: config.metrics.token })),
          config.metrics.port,
          host,
        ).catch((err: unknown) => {
          server.close();
          throw err;
        });
  const url = localUrl(server);
  const metricsUrl = metricsServer ? localUrl(metricsServer) : url;
  logger.info({ url, metricsUrl, dataDir: config.dataDir, store: store.dialect, notificationAuth: config.notificationAuth.mode }, 'connector listening');

  return {
    url,
    metricsUrl,
    store,
    runner,
    async close(graceMs = 10_000) {
      const closed = Promise.all([server, metricsServer].map((s) => s && new Promise<void>((resolve) => s.close(() => resolve()))));
      stopping.abort();
      await runner.stop(graceMs);
      server.closeIdleConnections();
      metricsServer?.closeIdleConnections();
      await closed;
      await store.close();
    },
  };
}

/** Job kinds whose work is Webex calls, and how far behind Webex's pace the runner still takes more of them. */
const WEBEX_PACED = new Set([EVENT_WORK, CONSENT_WATCH]);
const PACE_BACKLOG_LIMIT_MS = 2000;

/**
 * With WEBEX_MAX_CALLS_PER_SECOND on a shared store, each instance takes its share: the allowance divided by the
 * instances seen in the last half minute, worked out every 10 s.
 */
function paceShareSweep(store: Store, pacer: WebexPacer, config: Config): Sweep[] {
  const total = config.webex.maxCallsPerSecond;
  if (total === undefined || store.dialect !== 'postgres') return [];
  // An instance without a stable name registers as itself for this run; a stale entry stops counting after 30 s.
  const instanceId = config.instanceId ?? randomUUID();
  return [
    {
      name: 'Webex pace share',
      everyMs: 10_000,
      async run(now) {
        await store.instances.seen(instanceId, now);
        pacer.share(total / (await store.instances.liveCount(now, 30_000)));
      },
    },
  ];
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject).listen(port, host, () => resolve(server));
  });
}

const localUrl = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** The BYODS renewal job, when switched on; its Webex calls go through the shared HTTP layer and its metrics. */
function dataSourceRenewal(config: Config, logger: Logger, metrics: ConnectorMetrics): JobHandler[] {
  const renewal = config.dataSourceRenewal;
  if (!renewal) return [];
  // Until the store keeps them, the service app's tokens live in a token file in DATA_DIR, as byods keeps its own.
  const vault = new TokenFile(join(config.dataDir, TOKEN_FILE_NAME));
  const { api } = serviceAppDataSources(renewal, {
    baseUrl: config.webex.baseUrl,
    timeoutMs: config.webex.timeoutMs,
    logger,
    vault,
    http: { onCall: metrics.webexCalls, onRetry: metrics.webexRetry },
  });
  return [dataSourceRenewalHandler(renewal, { api, observer: metrics.dataSourceRenewals })];
}

/** The scheduled reconciliation with Webex, when RECONCILE_EVERY_MINUTES is set; `stopping` ends a run at shutdown. */
function backgroundReconciliation(config: Config, deps: Parameters<typeof configuredReconciler>[1], stopping: AbortSignal): JobHandler[] {
  const { everyMinutes, fix } = config.reconcile;
  if (!everyMinutes) return [];
  return [reconciliationHandler(configuredReconciler(config, deps), { everyMinutes, fix }, stopping)];
}
