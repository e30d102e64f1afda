import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../../src/config';
import { AppDirectSim, startAppDirectSim } from '../../../sim/appdirect';
import { startWebexSim, WebexSim } from '../../../sim/webex';
import { openStore, Store } from '../../../src/store';
import { freshSchema } from '../../store/testDatabase';
import { ConnectorProcess, spawnConnector } from '../../support/connectorProcess';
import { SECRETS, validEnv } from '../../support/env';
import { HoldingProxy, startHoldingProxy } from './holdingProxy';

export type StoreKind = 'sqlite' | 'postgres';

export interface FleetOptions {
  store: StoreKind;
  /** Connector processes sharing the store (more than one needs PostgreSQL). */
  instances: number;
  env?: NodeJS.ProcessEnv;
  customerProvisioningMs: number;
  subscriberProvisioningMs: number;
  /** Puts the holding proxy between the connectors and the Webex simulator. */
  proxy?: boolean;
}

/** An answer AppDirect got to one notification, in the order the answers arrived. */
export interface NotifyAnswer {
  status: number;
  body: unknown;
}

/**
 * The AppDirect and Webex simulators and real connector processes on one store, like a deployment
 * behind a load balancer: notifications go to the instances in turn, and one that fails is sent
 * again (as AppDirect does) until a live instance takes it.
 */
export interface Fleet {
  webex: WebexSim;
  appDirect: AppDirectSim;
  proxy?: HoldingProxy;
  instances: Array<ConnectorProcess | undefined>;
  answers: Map<string, NotifyAnswer[]>;
  /** SIGKILLs so far. */
  crashes: number;
  start(index: number): Promise<void>;
  kill(index: number): Promise<void>;
  notify(token: string): Promise<NotifyAnswer>;
  /** Opens the store the way the connector does, to look into the journal. */
  openStore(): Promise<Store>;
  /** Stops every instance gracefully (SIGTERM). */
  stopAll(): Promise<void>;
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const NOTIFY_DEADLINE_MS = 60_000;

/** Settings small enough that a whole run with faults takes seconds, not hours. */
const FAST_ENV: NodeJS.ProcessEnv = {
  PORT: '0',
  LOG_LEVEL: 'info',
  WEBEX_POLL_INTERVAL_MS: '100',
  SYNC_BUDGET_MS: '300',
  NOTICE_BUDGET_MS: '2000',
  RETRY_BASE_MS: '50',
  RETRY_MAX_MS: '800',
  JOB_MAX_ATTEMPTS: '40',
  JOB_CONCURRENCY: '10',
  WEBEX_TIMEOUT_MS: '1000',
  APPDIRECT_TIMEOUT_MS: '1000',
  EDITION_PACKAGES: '{"MEETINGS":"webex_meetings","CALLING":"webex_calling"}',
};

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const webex = await startWebexSim({ token: SECRETS.webexToken, customerProvisioningMs: opts.customerProvisioningMs, subscriberProvisioningMs: opts.subscriberProvisioningMs });
  const appDirect = await startAppDirectSim({
    inbound: { clientId: 'connector-client', clientSecret: SECRETS.oauthClientSecret },
    outbound: { mode: 'basic', username: 'appdirect', password: SECRETS.basicPassword },
  });
  const proxy = opts.proxy ? await startHoldingProxy(webex.url) : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-'));
  const schema = opts.store === 'postgres' ? await freshSchema() : undefined;
  const env: NodeJS.ProcessEnv = {
    ...validEnv(),
    ...FAST_ENV,
    BASE_URL_MARKETPLACE: appDirect.url,
    WEBEX_API_BASE_URL: proxy?.url ?? webex.url,
    DATA_DIR: dataDir,
    ...(schema ? { DATABASE_URL: schema.url } : {}),
    ...opts.env,
  };

  const instances: Array<ConnectorProcess | undefined> = Array.from({ length: opts.instances }, () => undefined);
  const answers = new Map<string, NotifyAnswer[]>();
  let turn = 0;

  const fleet: Fleet = {
    webex,
    appDirect,
    proxy,
    instances,
    answers,
    crashes: 0,

    async start(index) {
      const proc = spawnConnector(env);
      instances[index] = proc;
      await within(START_TIMEOUT_MS, proc.url, () => `connector ${index} did not start:\n${proc.lines.slice(-20).join('\n')}`);
    },

    async kill(index) {
      const proc = instances[index];
      instances[index] = undefined;
      if (!proc) return;
      fleet.crashes += 1;
      await proc.kill('SIGKILL');
    },

    async notify(token) {
      const deadline = Date.now() + NOTIFY_DEADLINE_MS;
      for (;;) {
        const proc = instances[turn++ % instances.length];
        const answer = proc ? await appDirect.notify(await proc.url, token).catch(() => undefined) : undefined;
        // 503 is a connector shutting down; anything but 200/202 is a notification AppDirect sends again.
        if (answer && (answer.status === 200 || answer.status === 202)) {
          answers.set(token, [...(answers.get(token) ?? []), answer]);
          return answer;
        }
        if (Date.now() > deadline) throw new Error(`no connector took the notification of ${token}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },

    openStore: () => openStore(parseConfig(env)),

    async stopAll() {
      const running = [...instances];
      instances.fill(undefined);
      await Promise.all(running.map((proc) => proc?.kill('SIGTERM')));
    },

    async close() {
      await Promise.all(instances.map((proc) => proc?.kill('SIGKILL')));
      await Promise.all([webex.close(), appDirect.close(), proxy?.close()]);
      await schema?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return fleet;
}

async function within<T>(ms: number, promise: Promise<T>, problem: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(problem())), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
