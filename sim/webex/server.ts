import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebexSimApp } from './app';
import { createBackstage, type Backstage } from './backstage';
import { createSimContext, type WebexSimOptions } from './context';
import type { FaultInjector } from './faults';
import type { SimOAuth } from './oauth';
import { clearState, type CustomerOutcome, type WebexSimState } from './state';
import { acceptMove, planCustomerOutcome, settleProvisioning } from './provisioning';
import { countCalls, type RecordedCall } from './recording';
import type { SimRouteModule } from './routes';

export interface WebexSim {
  /** Base URL including '/v1', e.g. http://127.0.0.1:41234/v1 */
  url: string;
  /** Every request answered (injected faults included), in the order answered. */
  calls: RecordedCall[];
  /** The live data; reading it first settles statuses whose waiting time is over, as a request would. */
  readonly state: WebexSimState;
  faults: FaultInjector;
  /** The OAuth token service: mint a refresh token, revoke a token, expire access tokens, count grants. */
  oauth: SimOAuth;
  control: {
    customerOutcome(externalId: string, outcome: CustomerOutcome, detail?: string): void;
    /** The e-mail belongs to an existing Webex account (a free one, say): a subscriber for it waits for its owner's consent. */
    existingWebexAccount(email: string): void;
    /** The owner of that account accepts Webex's invitation: the subscriber is provisioned. */
    acceptInvitation(email: string): void;
    /** When Webex sent its invitation to move the account, oldest first. */
    invitationsSent(email: string): number[];
  };
  /** Changes made behind the connector's back (Partner Hub, Control Hub, support): drift for a reconciliation to find. */
  backstage: Backstage;
  setLatency(ms: number): void;
  countCalls(filter?: { method?: string; pathPrefix?: string }): number;
  /** Clears data, recorded calls and faults; settings (token, latency, timings) and OAuth tokens stay. */
  reset(): void;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    // Clients keep sockets alive between requests; without this, close() would wait for them to time out.
    server.closeAllConnections();
  });
}

/**
 * Starts the simulator on 127.0.0.1; `extraRoutes` mounts more endpoint groups under `/v1` (e.g. the BYODS
 * data sources, or a test-only router), `publicRoutes` at the root without a token (e.g. a key set).
 */
export async function startWebexSim(opts: WebexSimOptions = {}, extraRoutes: readonly SimRouteModule[] = [], publicRoutes: readonly SimRouteModule[] = []): Promise<WebexSim> {
  const ctx = createSimContext(opts);
  const server = createServer(createWebexSimApp(ctx, extraRoutes, publicRoutes));
  await listen(server, opts.port ?? 0);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls: ctx.calls,
    get state() {
      settleProvisioning(ctx);
      return ctx.state;
    },
    faults: ctx.faults,
    oauth: ctx.oauth,
    control: {
      customerOutcome: (externalId, outcome, detail) => planCustomerOutcome(ctx, externalId, outcome, detail),
      existingWebexAccount: (email) => {
        ctx.state.existingAccounts.set(email.toLowerCase(), { since: ctx.now() });
      },
      acceptInvitation: (email) => {
        settleProvisioning(ctx);
        acceptMove(ctx, email);
      },
      invitationsSent: (email) => [...(ctx.state.invitations.get(email.toLowerCase()) ?? [])],
    },
    backstage: createBackstage(ctx),
    setLatency: (ms) => {
      ctx.settings.latencyMs = ms;
    },
    countCalls: (filter) => countCalls(ctx.calls, filter),
    reset: () => {
      clearState(ctx.state);
      ctx.calls.length = 0;
      ctx.faults.clear();
    },
    close: () => close(server),
  };
}
