import axios from 'axios';
import { randomUUID } from 'node:crypto';
import { orderEvent } from '../../sim/appdirect/events';
import { SECRETS } from '../support/env';
import { Harness, startHarness } from '../support/harness';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const GOOD_AUTH = basic('appdirect', SECRETS.basicPassword);

describe('bad input gets a clear answer and loses nothing', () => {
  let h: Harness;
  const receiver = (query: string, headers: Record<string, string> = { Authorization: GOOD_AUTH }) =>
    axios.get(`${h.connector.url}/subscription_receiver${query}`, { headers, validateStatus: () => true });

  beforeAll(async () => {
    h = await startHarness({ env: { EDITION_PACKAGES: '{"BASIC":"webex_meetings"}' } });
  });
  afterAll(() => h.close());

  const newOrder = () => h.appDirect.addEvent(orderEvent({ companyUuid: randomUUID(), companyName: 'Co', email: `${randomUUID().slice(0, 6)}@x.example.com`, firstName: 'A', lastName: 'B', editionCode: 'BASIC' }));

  test('missing eventUrl → 400 naming it, nothing fetched', async () => {
    const fetches = h.appDirect.counts.eventFetches;
    const res = await receiver('');
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ success: false, errorCode: 'CONFIGURATION_ERROR', message: expect.stringContaining('eventUrl') });
    expect(h.appDirect.counts.eventFetches).toBe(fetches);
  });

  test('an eventUrl on another host → 400, and no credential is sent there', async () => {
    const tokenRequests = h.appDirect.counts.tokenRequests;
    const res = await receiver(`?eventUrl=${encodeURIComponent('http://127.0.0.2:9/api/integration/v1/events/abc')}`);
    expect(res.status).toBe(400);
    expect(res.data.success).toBe(false);
    expect(res.data.message).toMatch(/marketplace/);
    expect(h.appDirect.counts.tokenRequests).toBe(tokenRequests);
  });

  test.each([
    ['missing credentials', {}],
    ['a wrong password', { Authorization: basic('appdirect', 'wrong') }],
    ['a wrong scheme', { Authorization: `Bearer ${SECRETS.basicPassword}` }],
  ])('%s → 401 UNAUTHORIZED and nothing fetched', async (_name, headers) => {
    const { eventUrl } = newOrder();
    const fetches = h.appDirect.counts.eventFetches;
    const res = await receiver(`?eventUrl=${encodeURIComponent(eventUrl)}`, headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ success: false, errorCode: 'UNAUTHORIZED', message: expect.any(String) });
    expect(h.appDirect.counts.eventFetches).toBe(fetches);
  });

  test('an event AppDirect does not have (404) → NOT_FOUND', async () => {
    const res = await receiver(`?eventUrl=${encodeURIComponent(`${h.appDirect.url}/api/integration/v1/events/${randomUUID()}`)}`);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ success: false, errorCode: 'NOT_FOUND' });
  });

  test('an event fetch that fails with 5xx is retried', async () => {
    const { token } = newOrder();
    h.appDirect.faults.event(token, { status: 502, times: 1 });
    const res = await h.appDirect.notify(h.connector.url, token);
    const result = res.status === 202 ? await h.appDirect.waitForResult(token, 10_000) : res.body;
    expect(result).toMatchObject({ success: true });
  });

  test('malformed JSON from AppDirect → INVALID_RESPONSE', async () => {
    const { token } = newOrder();
    h.appDirect.faults.event(token, { malformed: true });
    const res = await h.appDirect.notify(h.connector.url, token);
    expect(res).toEqual({ status: 200, body: expect.objectContaining({ success: false, errorCode: 'INVALID_RESPONSE' }) });
  });

  test('an event missing a required field → the message names the field', async () => {
    const event = orderEvent({ companyUuid: randomUUID(), companyName: 'Co', email: 'f@x.example.com', firstName: 'A', lastName: 'B', editionCode: 'BASIC' });
    (event.payload as { company: { uuid: string | null } }).company.uuid = null;
    const { token } = h.appDirect.addEvent(event);
    const res = await h.appDirect.notify(h.connector.url, token);
    expect(res.body).toMatchObject({ success: false, errorCode: 'INVALID_RESPONSE', message: expect.stringContaining('payload.company.uuid') });
  });

  test('each rejection is logged with the event token, and the server keeps serving', async () => {
    const { token } = newOrder();
    h.appDirect.faults.event(token, { malformed: true });
    await h.appDirect.notify(h.connector.url, token);
    const lines = h.logs.map((l) => JSON.parse(l) as { eventToken?: string; msg: string });
    expect(lines.some((l) => l.eventToken === token && l.msg === 'event failed')).toBe(true);
    const health = await axios.get(`${h.connector.url}/health`);
    expect(health.status).toBe(200);
  });

  test('no log line holds a secret', () => {
    expect(h.logs.length).toBeGreaterThan(10);
    for (const secret of Object.values(SECRETS)) {
      const leaking = h.logs.filter((l) => l.includes(secret));
      expect(leaking).toEqual([]);
    }
    const encodedCredentials = Buffer.from(`appdirect:${SECRETS.basicPassword}`).toString('base64');
    expect(h.logs.filter((l) => l.includes(encodedCredentials))).toEqual([]);
  });
});

describe('abuse of the receiver', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  test('security headers are set and an oversized header is refused', async () => {
    const health = await axios.get(`${h.connector.url}/health`);
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    const huge = await axios.get(`${h.connector.url}/health`, { headers: { 'X-Padding': 'x'.repeat(16 * 1024) }, validateStatus: () => true });
    expect(huge.status).toBe(431);
  });

  test('a request body over the limit is refused with a clear answer', async () => {
    const res = await axios.post(`${h.connector.url}/subscription_receiver`, { padding: 'x'.repeat(100 * 1024) }, { headers: { Authorization: GOOD_AUTH }, validateStatus: () => true });
    expect(res.status).toBe(413);
    expect(res.data).toEqual({ success: false, errorCode: 'INVALID_OPERATION', message: 'Request body is too large' });
    expect(JSON.stringify(res.data)).not.toMatch(/\s+at /);
  });

  test('repeated failed authentication locks the caller out for a while, even with good credentials', async () => {
    const url = `${h.connector.url}/subscription_receiver?eventUrl=${encodeURIComponent(`${h.appDirect.url}/api/integration/v1/events/x`)}`;
    for (let i = 0; i < 20; i++) {
      const res = await axios.get(url, { headers: { Authorization: basic('appdirect', `guess-${i}`) }, validateStatus: () => true });
      expect(res.status).toBe(401);
    }
    const locked = await axios.get(url, { headers: { Authorization: GOOD_AUTH }, validateStatus: () => true });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.data).toMatchObject({ success: false, errorCode: 'UNAUTHORIZED' });
  });

  test('behind a trusted proxy (TRUST_PROXY, loopback by default) a client locked out does not lock out the others', async () => {
    const url = `${h.connector.url}/subscription_receiver?eventUrl=${encodeURIComponent(`${h.appDirect.url}/api/integration/v1/events/y`)}`;
    const via = (client: string, authorization: string) => axios.get(url, { headers: { Authorization: authorization, 'X-Forwarded-For': client }, validateStatus: () => true });
    for (let i = 0; i < 20; i++) expect((await via('203.0.113.7', basic('appdirect', `guess-${i}`))).status).toBe(401);
    expect((await via('203.0.113.7', GOOD_AUTH)).status).toBe(429);
    expect((await via('198.51.100.9', GOOD_AUTH)).status).not.toBe(429);
  });
});
