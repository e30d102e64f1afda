import net from 'node:net';
import { Writable } from 'node:stream';
import { AppDirectError, createAppDirectClient, InboundAuthConfig } from '../../src/appdirect/client';
import { failure, success } from '../../src/appdirect/results';
import { createLogger } from '../../src/log';
import { AppDirectSim, startAppDirectSim } from '../../sim/appdirect';
import { orderEvent } from '../../sim/appdirect/events';

const INBOUND = { clientId: 'connector-client', clientSecret: 'inbound-client-secret', consumerKey: 'connector-key', consumerSecret: 'inbound-consumer-secret' };
const OAUTH2: InboundAuthConfig = { mode: 'oauth2', clientId: INBOUND.clientId, clientSecret: INBOUND.clientSecret };
const OAUTH1: InboundAuthConfig = { mode: 'oauth1', consumerKey: INBOUND.consumerKey, consumerSecret: INBOUND.consumerSecret };

const anOrder = () =>
  orderEvent({ companyUuid: 'company-1', companyName: 'Acme', email: 'buyer@acme.example', firstName: 'Ada', lastName: 'Buyer', editionCode: 'BASIC' });

/** Every log line the client writes, to check that no credential ends up in one. */
function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

async function rejection(promise: Promise<unknown>): Promise<AppDirectError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppDirectError);
  return error as AppDirectError;
}

describe('AppDirect client against the simulated marketplace', () => {
  let sim: AppDirectSim;
  beforeEach(async () => {
    sim = await startAppDirectSim({ inbound: INBOUND, outbound: { mode: 'basic', username: 'u', password: 'p' }, tokenTtlSeconds: 120 });
  });
  afterEach(() => sim.close());

  const clientFor = (auth: InboundAuthConfig, extra: { now?: () => number; timeoutMs?: number; marketplaceBaseUrl?: string } = {}) => {
    const { logger, lines } = capturingLogger();
    return { lines, client: createAppDirectClient({ marketplaceBaseUrl: sim.url, auth, logger, ...extra }) };
  };

  it('fetches events with one OAuth 2.0 token, shared by concurrent callers', async () => {
    const { client, lines } = clientFor(OAUTH2);
    const added = [sim.addEvent(anOrder()), sim.addEvent(anOrder()), sim.addEvent(anOrder())];
    const events = await Promise.all(added.map(({ eventUrl }) => client.fetchEvent(new URL(eventUrl))));
    await client.fetchEvent(new URL(added[0].eventUrl));

    expect(events.map((event) => (event as { type: string }).type)).toEqual(['SUBSCRIPTION_ORDER', 'SUBSCRIPTION_ORDER', 'SUBSCRIPTION_ORDER']);
    expect(events[0]).toMatchObject({ marketplace: { baseUrl: sim.url } });
    expect(sim.counts).toMatchObject({ tokenRequests: 1, eventFetches: 4 });

    const log = lines.join('');
    expect(log).toContain(`"eventToken":"${added[0].token}"`);
    expect(log).not.toMatch(/Bearer|Authorization|inbound-client-secret/i);
  });

  it('renews the token a minute before it expires', async () => {
    const clock = { nowMs: Date.now() };
    const { client } = clientFor(OAUTH2, { now: () => clock.nowMs });
    const { eventUrl } = sim.addEvent(anOrder());

    await client.fetchEvent(new URL(eventUrl));
    clock.nowMs += 59_000;
    await client.fetchEvent(new URL(eventUrl));
    expect(sim.counts.tokenRequests).toBe(1);

    clock.nowMs += 2_000; // 61 s of a 120 s token: inside the renewal margin
    await client.fetchEvent(new URL(eventUrl));
    expect(sim.counts.tokenRequests).toBe(2);
  });

  it('gets a new token and retries once when AppDirect answers 401', async () => {
    const { client } = clientFor(OAUTH2);
    const { eventUrl, token } = sim.addEvent(anOrder());
    await client.fetchEvent(new URL(eventUrl));
    sim.faults.event(token, { status: 401, times: 1 });

    await expect(client.fetchEvent(new URL(eventUrl))).resolves.toMatchObject({ type: 'SUBSCRIPTION_ORDER' });
    expect(sim.counts).toMatchObject({ tokenRequests: 2, eventFetches: 3 });
  });

  it('gives up after the one retry when 401 persists', async () => {
    const { client } = clientFor(OAUTH2);
    const { eventUrl, token } = sim.addEvent(anOrder());
    sim.faults.event(token, { status: 401 });
    const error = await rejection(client.fetchEvent(new URL(eventUrl)));
    expect(error).toMatchObject({ kind: 'rejected', status: 401 });
    expect(sim.counts.eventFetches).toBe(2);
  });

  it('fetches and posts with OAuth 1.0a signatures', async () => {
    const { client } = clientFor(OAUTH1);
    const { eventUrl, token } = sim.addEvent(anOrder());
    await expect(client.fetchEvent(new URL(eventUrl))).resolves.toMatchObject({ type: 'SUBSCRIPTION_ORDER' });
    await client.postResult(token, success({ accountIdentifier: 'company-1' }));

    expect(sim.results).toEqual([{ token, body: { success: true, accountIdentifier: 'company-1' }, at: expect.any(Number) }]);
    expect(sim.counts.tokenRequests).toBe(0);
  });

  it('does not retry a refused OAuth 1.0a signature', async () => {
    const { client } = clientFor({ ...OAUTH1, consumerSecret: 'wrong' } as InboundAuthConfig);
    const { eventUrl } = sim.addEvent(anOrder());
    await expect(rejection(client.fetchEvent(new URL(eventUrl)))).resolves.toMatchObject({ kind: 'rejected', status: 401 });
    expect(sim.counts.eventFetches).toBe(1);
  });

  it('refuses, before any request, an event URL outside the marketplace', async () => {
    const { client } = clientFor(OAUTH2);
    const { token } = sim.addEvent(anOrder());
    const foreign = new URL(`http://localhost:${new URL(sim.url).port}/api/integration/v1/events/${token}`);

    const error = await rejection(client.fetchEvent(foreign));
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('must point at the configured marketplace');
    expect(sim.counts).toEqual({ tokenRequests: 0, eventFetches: 0, requests: 0 });
  });

  it('posts results, failures included', async () => {
    const { client } = clientFor(OAUTH2);
    const { token } = sim.addEvent(anOrder());
    await client.postResult(token, failure('ACCOUNT_NOT_FOUND', 'no such account'));
    await expect(sim.waitForResult(token)).resolves.toEqual({ success: false, errorCode: 'ACCOUNT_NOT_FOUND', message: 'no such account' });
  });

  describe('classifies failures', () => {
    it('404 for an unknown event → not_found', async () => {
      const { client } = clientFor(OAUTH2);
      const error = await rejection(client.fetchEvent(new URL(`${sim.url}/api/integration/v1/events/unknown`)));
      expect(error).toMatchObject({ kind: 'not_found', status: 404, message: 'fetching the event failed: AppDirect answered HTTP 404' });
    });

    it.each([
      [{ status: 410 }, 'not_found', 410],
      [{ status: 500 }, 'transient', 500],
      [{ status: 503 }, 'transient', 503],
      [{ status: 429 }, 'transient', 429],
      [{ status: 403 }, 'rejected', 403],
      [{ status: 302 }, 'rejected', 302],
      [{ malformed: true as const }, 'invalid_response', 200],
    ])('event fault %p → %s', async (fault, kind, status) => {
      const { client } = clientFor(OAUTH2);
      const { eventUrl, token } = sim.addEvent(anOrder());
      sim.faults.event(token, fault);
      await expect(rejection(client.fetchEvent(new URL(eventUrl)))).resolves.toMatchObject({ kind, status });
    });

    it('a slow answer → transient timeout', async () => {
      const { client } = clientFor(OAUTH2, { timeoutMs: 200 });
      const { eventUrl } = sim.addEvent(anOrder());
      sim.faults.event('*', { delayMs: 2_000 });
      const error = await rejection(client.fetchEvent(new URL(eventUrl)));
      expect(error).toMatchObject({ kind: 'transient', message: 'fetching the event failed: no answer within 200 ms' });
    });

    it('429 on a result with Retry-After → transient with retryAfterMs', async () => {
      const { client } = clientFor(OAUTH2);
      const { token } = sim.addEvent(anOrder());
      sim.faults.result({ status: 429, retryAfterSeconds: 7, times: 1 });
      const error = await rejection(client.postResult(token, success()));
      expect(error).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 7_000 });
      await client.postResult(token, success());
      expect(sim.results).toHaveLength(1);
    });

    it('a result for an unknown event → not_found', async () => {
      const { client } = clientFor(OAUTH2);
      await expect(rejection(client.postResult('nope', success()))).resolves.toMatchObject({ kind: 'not_found', status: 404 });
    });

    it('token endpoint refusing the client → rejected, unavailable → transient', async () => {
      const { client } = clientFor({ ...OAUTH2, clientSecret: 'wrong' } as InboundAuthConfig);
      const { eventUrl } = sim.addEvent(anOrder());
      const refused = await rejection(client.fetchEvent(new URL(eventUrl)));
      expect(refused).toMatchObject({ kind: 'rejected', status: 401, message: 'getting an AppDirect access token failed: AppDirect answered HTTP 401' });
      expect(refused.message).not.toContain('wrong');

      sim.faults.tokenEndpoint({ status: 503, times: 1 });
      await expect(rejection(clientFor(OAUTH2).client.fetchEvent(new URL(eventUrl)))).resolves.toMatchObject({ kind: 'transient', status: 503 });
      expect(sim.counts.eventFetches).toBe(0);
    });
  });
});

describe('AppDirect client when the connection fails', () => {
  const logger = createLogger({ level: 'silent' });

  it('a connection reset → transient', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const client = createAppDirectClient({ marketplaceBaseUrl: base, auth: OAUTH1, logger });
      const error = await rejection(client.fetchEvent(new URL(`${base}/api/integration/v1/events/t`)));
      expect(error.kind).toBe('transient');
      expect(error.message).toMatch(/^fetching the event failed: connection failed \((ECONNRESET|ERR_SOCKET_HANG_UP|ECONNREFUSED)/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a refused connection → transient', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));

    const client = createAppDirectClient({ marketplaceBaseUrl: base, auth: OAUTH2, logger });
    const error = await rejection(client.postResult('t', success()));
    expect(error).toMatchObject({ kind: 'transient', message: 'getting an AppDirect access token failed: connection failed (ECONNREFUSED)' });
  });
});
