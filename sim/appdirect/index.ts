import { randomUUID } from 'node:crypto';
import type { FaultControls } from './faults';
import { createFaults } from './faults';
import { listenOnLoopback } from './listen';
import { createMarketplaceApp, MarketplaceState, TimelineKind } from './marketplaceApp';
import { createMarketplaceAuth, InboundCredentials } from './marketplaceAuth';
import { createNotifier, NotifyOptions, SimOutboundAuth } from './notifier';

export type { EventFault, FaultControls, ResultFault, TokenFault } from './faults';
export { NOTIFICATION_PATH } from './notifier';
export type { NotifyOptions, SimOutboundAuth } from './notifier';
export type { TimelineKind } from './marketplaceApp';

export interface AppDirectSimOptions {
  port?: number;
  /** The connector's credentials for calling AppDirect: OAuth 2.0 client, and OAuth 1.0a signatures when consumerKey is given. */
  inbound: InboundCredentials;
  /** How the simulator signs notifications to the connector; for oauth2 it first gets a token from the connector's POST /oauth2/token. */
  outbound: SimOutboundAuth;
  /** Lifetime of the access tokens the simulated marketplace issues; default 3600. */
  tokenTtlSeconds?: number;
}

export interface AppDirectSim {
  /** marketplace base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  addEvent(event: Record<string, unknown>, opts?: { token?: string }): { token: string; eventUrl: string };
  notify(connectorBaseUrl: string, token: string, opts?: NotifyOptions): Promise<{ status: number; body: unknown }>;
  results: Array<{ token: string; body: unknown; at: number }>;
  waitForResult(token: string, timeoutMs?: number): Promise<unknown>;
  faults: FaultControls;
  timeline: Array<{ at: number; kind: TimelineKind; token?: string; detail: string }>;
  /** requests counts every request the marketplace got, whatever its path. */
  counts: { tokenRequests: number; eventFetches: number; requests: number };
  close(): Promise<void>;
}

const DEFAULT_WAIT_MS = 5_000;

/** A simulated AppDirect marketplace on 127.0.0.1, for tests and the demo. */
export async function startAppDirectSim(opts: AppDirectSimOptions): Promise<AppDirectSim> {
  const timeline: AppDirectSim['timeline'] = [];
  const waiters = new Map<string, Array<(body: unknown) => void>>();
  const closing = new AbortController();
  const faults = createFaults();

  const state: MarketplaceState = {
    url: '',
    events: new Map(),
    results: [],
    counts: { tokenRequests: 0, eventFetches: 0, requests: 0 },
    record: (kind, token, detail) => timeline.push({ at: Date.now(), kind, ...(token === undefined ? {} : { token }), detail }),
    onResult(token, body) {
      state.results.push({ token, body, at: Date.now() });
      for (const resolve of waiters.get(token) ?? []) resolve(body);
      waiters.delete(token);
    },
  };

  const auth = createMarketplaceAuth(opts.inbound, opts.tokenTtlSeconds ?? 3600);
  const server = await listenOnLoopback(createMarketplaceApp(state, auth, faults, closing.signal), opts.port);
  state.url = server.url;
  const notify = createNotifier(opts.outbound, state.record);
  const eventUrlFor = (token: string) => `${state.url}/api/integration/v1/events/${encodeURIComponent(token)}`;

  return {
    url: state.url,
    results: state.results,
    timeline,
    counts: state.counts,
    faults: faults.controls,

    addEvent(event, addOpts = {}) {
      const token = addOpts.token ?? randomUUID();
      const marketplace = { ...(event.marketplace as Record<string, unknown> | undefined), baseUrl: state.url };
      state.events.set(token, { ...structuredClone(event), marketplace });
      return { token, eventUrl: eventUrlFor(token) };
    },

    notify: (connectorBaseUrl, token, notifyOpts) => notify(connectorBaseUrl, token, eventUrlFor(token), notifyOpts),

    waitForResult(token, timeoutMs = DEFAULT_WAIT_MS) {
      const recorded = state.results.find((result) => result.token === token);
      if (recorded) return Promise.resolve(recorded.body);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no result posted for event ${token} within ${timeoutMs} ms`)), timeoutMs);
        const settle = (body: unknown) => {
          clearTimeout(timer);
          resolve(body);
        };
        waiters.set(token, [...(waiters.get(token) ?? []), settle]);
      });
    },

    async close() {
      closing.abort();
      await server.close();
    },
  };
}
