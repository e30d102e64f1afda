import { z } from 'zod';
import { createLogger } from '../../src/log';
import { startWebexSim, WebexSim } from '../../sim/webex';
import { createWebexClient, WebexClient } from '../../src/webex/client';
import { WebexApiError, WebexResponseShapeError } from '../../src/webex/errors';
import { parseRetryAfter } from '../../src/webex/http';
import { eventually } from '../support/harness';

const TOKEN = 'http-test-token';
const logger = createLogger({ level: 'silent' });

describe('the Webex HTTP layer against the simulator', () => {
  let sim: WebexSim;
  let webex: WebexClient;
  const waits: number[] = [];
  beforeAll(async () => {
    sim = await startWebexSim({ token: TOKEN, pageSize: 2, customerProvisioningMs: 0 });
  });
  beforeEach(() => {
    sim.reset();
    waits.length = 0;
    webex = createWebexClient({
      baseUrl: sim.url,
      getToken: () => TOKEN,
      logger,
      timeoutMs: 300,
      backoffBaseMs: 1,
      // Record the waits instead of sleeping them, so the test shows what was honoured.
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  });
  afterAll(() => sim.close());

  test('sends the bearer token and reads the tracking ID of an error', async () => {
    const err = await webex.wholesale.getCustomer('nope').catch((e) => e);
    expect(err).toBeInstanceOf(WebexApiError);
    expect(err.status).toBe(404);
    expect(err.trackingId).toMatch(/\S+/);
    expect(err.message).toContain(err.trackingId);
    expect(err.transient).toBe(false);
    expect(sim.calls).toHaveLength(1);
  });

  test('a wrong token is a 401 that is not retried and names no token', async () => {
    const other = createWebexClient({ baseUrl: sim.url, getToken: () => 'wrong-token', logger });
    const err = await other.wholesale.findCustomerByExternalId('x').catch((e) => e);
    expect(err).toMatchObject({ status: 401 });
    expect(err.message).not.toContain('wrong-token');
    expect(sim.calls).toHaveLength(1);
  });

  test('429 waits the Retry-After it was given, then succeeds', async () => {
    sim.faults.next({ status: 429, retryAfterSeconds: 3 });
    await expect(webex.wholesale.findCustomerByExternalId('x')).resolves.toBeUndefined();
    expect(waits).toEqual([3000]);
    expect(sim.calls.map((c) => c.status)).toEqual([429, 200]);
  });

  test('502/503/504 and a reset connection are retried for safe calls', async () => {
    sim.faults.next({ status: 502 });
    sim.faults.next({ status: 503 });
    sim.faults.next({ status: 504, reset: true });
    await expect(webex.wholesale.findCustomerByExternalId('x')).resolves.toBeUndefined();
    expect(sim.calls).toHaveLength(4);
  });

  test('a slow answer past the timeout is retried and finally reported as a transient failure', async () => {
    sim.setLatency(1000);
    try {
      const err = await webex.wholesale.findCustomerByExternalId('x').catch((e) => e);
      expect(err).toBeInstanceOf(WebexApiError);
      expect(err.transient).toBe(true);
      expect(err.message).toMatch(/timed out/);
      expect(waits).toHaveLength(3);
      // The simulator still answers the abandoned attempts; let it, or their records land in the next test.
      await eventually(() => expect(sim.calls).toHaveLength(4));
    } finally {
      sim.setLatency(0);
    }
  });

  test('a create is not repeated after a 5xx (it may have happened), but is after a 429', async () => {
    sim.faults.next({ method: 'POST', status: 503 });
    const body = { customerId: 'c', email: 'someone@example.com', packages: ['webex_meetings'] as [string], provisioningParameters: {} };
    await expect(webex.wholesale.createSubscriber(body)).rejects.toMatchObject({ status: 503, transient: true });
    expect(sim.calls).toHaveLength(1);
    sim.faults.next({ method: 'POST', status: 429, retryAfterSeconds: 1 });
    await expect(webex.wholesale.createSubscriber(body)).rejects.toMatchObject({ status: 404 });
    expect(sim.calls.map((c) => c.status)).toEqual([503, 429, 404]);
  });

  test('follows pagination to the last page', async () => {
    const customer = async (i: number) => {
      const address = { addressLine1: `${i} Main St`, city: 'Milpitas', country: 'US' };
      const id = await webex.wholesale.createCustomer({ provisioningId: 'p', packages: ['webex_meetings'], externalId: `ext-${i}`, address, customerInfo: { name: `C${i}`, primaryEmail: `c${i}@x.example.com` } });
      return webex.wholesale.getCustomer(id);
    };
    const created = await Promise.all([1, 2, 3].map(customer));
    const orgId = created[0].orgId!;
    await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        webex.wholesale.createSubscriber({ customerId: created[0].id, email: `s${i}@x.example.com`, packages: ['webex_meetings'], provisioningParameters: { firstName: 'S' } }),
      ),
    );
    const all = await webex.wholesale.listSubscribers({ customerId: created[0].id });
    expect(all.map((s) => s.email).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `s${i}@x.example.com`));
    expect(sim.calls.filter((c) => c.method === 'GET' && c.path === '/wholesale/subscribers')).toHaveLength(3);
    expect(orgId).toBeTruthy();
  });

  test('an answer that breaks the contract is a typed error, not a crash later', async () => {
    const err = await webex.http.request('GET', '/wholesale/customers', { schema: z.object({ total: z.number() }) }).catch((e) => e);
    expect(err).toBeInstanceOf(WebexResponseShapeError);
    expect(err.message).toMatch(/total/);
  });

  test('Retry-After may be seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
