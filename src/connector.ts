import type { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
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
import { credentialCheckHandler, scheduleCredentialCheck, storeTokenVault, WebexCredentialWatch } from './jobs/webexCredentials';
import type { Logger } from './log';
import { createConnectorMetrics, ConnectorMetrics } from './metrics/connectorMetrics';
import { createApp, createMetricsApp } from './server/app';
import { createFailureCounter } from './server/failureCounters';
import { createFailureThrottle, FAILURE_THROTTLE_DEFAULTS, FailureThrottleSettings } from './server/failureThrottle';
import type { Lifecycle } from './server/receiver';
import { openStore, Store } from './store';
import { createWebexClient } from './webex/client';
import { WebexTokenSource } from './webex/tokenSource';
import { tokenSeed } from './webex/tokenVault';

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
  const webexTokens = webexTokenSource(config, store, logger, now, metrics);
  const pacer = new WebexPacer({ maxPerSecond: config.webex.maxCallsPerSecond, now });
  const credentialWatch = new WebexCredentialWatch({ tokens: webexTokens, store, logger, now });
  metrics.watchWebexCredentials(() => credentialWatch.status());
  const webex = createWebexClient({
    baseUrl: config.webex.baseUrl,
    getToken: webexTokens.getToken,
    refreshToken: webexTokens.refreshToken,
    timeoutMs: config.webex.timeoutMs,
    logger,
    pacer,
    onCall: metrics.webexCalls,
    onRetry: metrics.webexRetry,
  });
  const appDirect = createAppDirectClient({
    marketplaceBaseUrl: config.marketplaceBaseUrl,
    auth: config.appDirectAuth,
    timeoutMs: config.appDirectTimeoutMs,
    maxEventBytes: config.appDirectMaxEventBytes,
    logger,
    now,
    onCall: metrics.appDirectCalls,
  });
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
      admits: (kind) => !WEBEX_PACED.has(kind) || pacer.backlogMs() < PACE_BACKLOG_LIMIT_MS,
    },
    { ...retry, concurrency: config.jobs.concurrency, leaseMs: config.jobs.leaseMs, idlePollMs: IDLE_POLL_MS, instanceId: store.dialect === 'postgres' ? config.instanceId : undefined, manualSweeps: opts.manualSweeps },
  );
  const stopping = new AbortController();
  const lifecycle: Lifecycle = { isStopping: () => stopping.signal.aborted, stopping: stopping.signal };
  const verifier = createNotificationVerifier(config.notificationAuth, {
    nonces: { useOnce: (key, expiresAt) => store.nonces.useOnce(key, expiresAt, now()) },
    now,
  });
  const throttleSettings = { ...FAILURE_THROTTLE_DEFAULTS, ...opts.failureThrottle };
  const failures = createFailureThrottle({
    counter: await createFailureCounter(store.native, throttleSettings.windowMs),
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
    admin: config.adminToken ? { token: config.adminToken, credentials: () => credentialWatch.status() } : undefined,
  });

  if (config.dataSourceRenewal) await scheduleDataSourceRenewal(store, now());
  await scheduleCredentialCheck(store, now());
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

const WEBEX_CREDENTIAL_NAMES = {
  client: 'WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET',
  refreshToken: 'WEBEX_REFRESH_TOKEN (or give one without a restart: npm run events -- webex-login)',
  accessToken: 'WEBEX_TOKEN',
};

/**
 * The token source of every wholesale call: a fixed WEBEX_TOKEN (said at start to expire), or renewable
 * credentials whose newest tokens the store keeps, so a restart or another instance continues with them.
 */
function webexTokenSource(config: Config, store: Store, logger: Logger, now: () => number, metrics: ConnectorMetrics): WebexTokenSource {
  const credentials = config.webex.credentials;
  const common = { baseUrl: config.webex.baseUrl, logger, now, names: WEBEX_CREDENTIAL_NAMES, http: { timeoutMs: config.webex.timeoutMs, onCall: metrics.webexCalls, onRetry: metrics.webexRetry } };
  if (credentials.kind === 'static') {
    logger.warn(
      'WEBEX_TOKEN is a fixed access token: it expires (a personal token after 12 hours) and nothing can renew it; events then wait until it is replaced. For months unattended, give an integration\'s WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET and WEBEX_REFRESH_TOKEN instead (docs/webex-credentials.md).',
    );
    return new WebexTokenSource({ ...common, accessToken: credentials.accessToken });
  }
  const client = { clientId: credentials.clientId, clientSecret: credentials.clientSecret };
  return new WebexTokenSource({
    ...common,
    client,
    refreshToken: credentials.refreshToken,
    accessToken: credentials.accessToken,
    vault: storeTokenVault(store, tokenSeed(client.clientId, credentials.refreshToken), now),
  });
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
