import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { RunningConnector, startConnector } from '../../src/connector';
import { AppDirectSim, SimOutboundAuth, startAppDirectSim } from '../../sim/appdirect';
import { SimOAuthOptions, SimRouteModule, startWebexSim, WebexSim } from '../../sim/webex';
import type { Clock } from '../../src/clock';
import type { FailureThrottleSettings } from '../../src/server/failureThrottle';
import type { Store } from '../../src/store';
import type { EventRecord } from '../../src/store/types';
import { SECRETS, validEnv } from './env';
import { capturingLogger } from './logCapture';

export interface Harness {
  webex: WebexSim;
  appDirect: AppDirectSim;
  connector: RunningConnector;
  env: NodeJS.ProcessEnv;
  dataDir: string;
  logs: string[];
  /** Stops the connector only (the simulators keep their state), then starts a new one on the same data. */
  restartConnector(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: NodeJS.ProcessEnv;
  customerProvisioningMs?: number;
  subscriberProvisioningMs?: number;
  /** Extra Webex simulator routes, e.g. the BYODS data sources. */
  extraRoutes?: SimRouteModule[];
  /** How the AppDirect simulator signs notifications (default Basic, matching the default config). */
  outbound?: SimOutboundAuth;
  /** OAuth 1.0a consumer credentials the simulated marketplace accepts for event fetches and results. */
  inboundOAuth1?: { consumerKey: string; consumerSecret: string };
  /** The connector's background sweeps run only when the test calls `connector.runner.runSweeps()`. */
  manualSweeps?: boolean;
  /** Shorter delays or a lower ceiling for failed authentication than the connector's defaults. */
  failureThrottle?: Partial<FailureThrottleSettings>;
  /** The Webex simulator's OAuth token service (clients, token lifetimes, rotation). */
  webexOAuth?: SimOAuthOptions;
  /** Settings that depend on the running simulators (a refresh token the Webex simulator minted, say). */
  envFor?: (sims: { webex: WebexSim; appDirect: AppDirectSim }) => NodeJS.ProcessEnv;
  /** The connector's time (job schedules, leases, sweeps); the system clock by default. */
  clock?: Clock;
}

/** Both simulators and an in-process connector, talking real HTTP on loopback. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const webex = await startWebexSim({
    token: SECRETS.webexToken,
    customerProvisioningMs: opts.customerProvisioningMs ?? 300,
    subscriberProvisioningMs: opts.subscriberProvisioningMs ?? 50,
    oauth: opts.webexOAuth,
  }, opts.extraRoutes);
  const appDirect = await startAppDirectSim({
    inbound: { clientId: 'connector-client', clientSecret: SECRETS.oauthClientSecret, ...opts.inboundOAuth1 },
    outbound: opts.outbound ?? { mode: 'basic', username: 'appdirect', password: SECRETS.basicPassword },
  });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'connector-'));
  const env: NodeJS.ProcessEnv = {
    ...validEnv(),
    BASE_URL_MARKETPLACE: appDirect.url,
    WEBEX_API_BASE_URL: webex.url,
    DATA_DIR: dataDir,
    PORT: '0',
    WEBEX_POLL_INTERVAL_MS: '50',
    SYNC_BUDGET_MS: '1500',
    NOTICE_BUDGET_MS: '5000',
    RETRY_BASE_MS: '20',
    RETRY_MAX_MS: '200',
    ...opts.env,
    ...opts.envFor?.({ webex, appDirect }),
  };
  const { logger, lines } = capturingLogger();
  const start = () => startConnector(parseConfig(env), { logger, host: '127.0.0.1', manualSweeps: opts.manualSweeps, failureThrottle: opts.failureThrottle, clock: opts.clock });
  const harness: Harness = {
    webex,
    appDirect,
    env,
    dataDir,
    logs: lines,
    connector: await start(),
    async restartConnector() {
      await harness.connector.close(100);
      harness.connector = await start();
    },
    async close() {
      await harness.connector.close(100);
      assertNoSecrets(lines, webex.oauth.everyToken());
      await Promise.all([webex.close(), appDirect.close()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Every harness checks, as it closes, that no log line of its run holds a configured secret. */
export function assertNoSecrets(lines: string[], alsoSecret: string[] = []): void {
  const basic = Buffer.from(`appdirect:${SECRETS.basicPassword}`).toString('base64');
  const leaks = lines.filter((line) => [...Object.values(SECRETS), basic, ...alsoSecret].some((secret) => line.includes(secret)));
  if (leaks.length) throw new Error(`${leaks.length} log line(s) hold a secret, e.g. ${leaks[0].slice(0, 200)}`);
}

/** Waits until the event has its result and, if AppDirect is waiting for it, the result has been POSTed (or refused). */
export function settledEvent(store: Store, token: string, timeoutMs = 20_000): Promise<EventRecord> {
  return eventually(async () => {
    const record = await store.journal.get(token);
    if (!record?.result || record.delivery === 'pending') throw new Error(`event ${token} not finished yet`);
    return record;
  }, timeoutMs);
}

/** Polls until the check passes; for outcomes that arrive asynchronously. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw lastError;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
