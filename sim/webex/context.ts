import { FaultInjector } from './faults';
import { SimTokenService, type SimOAuthOptions } from './oauth';
import type { RecordedCall } from './recording';
import { createEmptyState, type WebexSimState } from './state';

export interface WebexSimOptions {
  /** Default 0: the OS picks a free port. */
  port?: number;
  /** A bearer token accepted until revoked, beside the tokens the OAuth endpoints issue; default 'sim-webex-token'. */
  token?: string;
  /** OAuth clients, token lifetimes and rotation of `POST /v1/access_token` (see oauth.ts). */
  oauth?: SimOAuthOptions;
  /** The simulator's clock (token expiry, provisioning times, recorded calls); default Date.now. */
  now?: () => number;
  /** How long a new customer stays `provisioning`; default 1500. */
  customerProvisioningMs?: number;
  /** How long a new subscriber stays `provisioning`; default 300. 0 makes POST answer 200 `provisioned`. */
  subscriberProvisioningMs?: number;
  /** Added to every response; default 0. */
  latencyMs?: number;
  /** Page size of list endpoints when the request has no `max`; default 100. */
  pageSize?: number;
  /** Calls admitted per second before answering 429 with Retry-After; default 0, no limit. */
  rateLimitPerSecond?: number;
}

/** Options after defaults. Mutable on purpose: `sim.setLatency` changes `latencyMs` for the next request. */
export interface SimSettings {
  token: string;
  customerProvisioningMs: number;
  subscriberProvisioningMs: number;
  latencyMs: number;
  pageSize: number;
  rateLimitPerSecond: number;
}

/** What every route module gets: the data, the knobs and the clock. */
export interface SimContext {
  settings: SimSettings;
  state: WebexSimState;
  calls: RecordedCall[];
  faults: FaultInjector;
  oauth: SimTokenService;
  now: () => number;
}

export const DEFAULT_SIM_TOKEN = 'sim-webex-token';

export function createSimContext(opts: WebexSimOptions = {}): SimContext {
  const now = opts.now ?? Date.now;
  return {
    settings: {
      token: opts.token ?? DEFAULT_SIM_TOKEN,
      customerProvisioningMs: opts.customerProvisioningMs ?? 1500,
      subscriberProvisioningMs: opts.subscriberProvisioningMs ?? 300,
      latencyMs: opts.latencyMs ?? 0,
      pageSize: opts.pageSize ?? 100,
      rateLimitPerSecond: opts.rateLimitPerSecond ?? 0,
    },
    state: createEmptyState(),
    calls: [],
    faults: new FaultInjector(),
    oauth: new SimTokenService(opts.oauth ?? {}, now),
    now,
  };
}
