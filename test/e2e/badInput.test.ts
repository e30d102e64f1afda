import axios from 'axios';
import { randomUUID } from 'node:crypto';
import { orderEvent } from '../../sim/appdirect/events';
import { SECRETS } from '../support/env';
import { eventually, Harness, startHarness } from '../support/harness';

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
    ['the token endpoint', '/oauth2/token'],
    ['an admin API', '/api/v1/admin/users'],
    ['another path ending in the event token', '/some/other/path/TOKEN'],
    ['the event path climbing out with dot segments', '/api/integration/v1/events/../../../../api/v1/admin/users'],
    ['the event path with a query', '/api/integration/v1/events/TOKEN?next=x'],
    ['the event path with a second segment', '/api/integration/v1/events/TOKEN/result'],
  ])('an eventUrl on the marketplace that is not an event (%s) → 400, nothing fetched or journaled', async (_case, path) => {
    const { token } = newOrder();
    const requests = h.appDirect.counts.requests;
    const res = await receiver(`?eventUrl=${encodeURIComponent(`${h.appDirect.url}${path.replace('TOKEN', token)}`)}`);
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ success: false, errorCode: 'CONFIGURATION_ERROR', message: expect.stringContaining('eventUrl') });
    expect(h.appDirect.counts.requests).toBe(requests);
    expect(await h.connector.store.journal.get(token)).toBeUndefined();
    expect(await h.connector.store.journal.get(path.split('/').pop()!)).toBeUndefined();
  });

  test('an event larger than APPDIRECT_MAX_EVENT_BYTES (1 MiB) → INVALID_RESPONSE, and nothing of it is stored', async () => {
    const { token } = newOrder();
    const event = orderEvent({ companyUuid: randomUUID(), companyName: 'Big Co', email: 'big@x.example.com', firstName: 'B', lastName: 'G', editionCode: 'BASIC' });
    h.appDirect.faults.event(token, { body: JSON.stringify({ ...event, padding: 'x'.repeat(2 * 1024 * 1024) }) });
    const res = await h.appDirect.notify(h.connector.url, token);
    expect(res).toEqual({ status: 200, body: { success: false, errorCode: 'INVALID_RESPONSE', message: expect.stringContaining('larger than 1048576 bytes') } });
    expect((await h.connector.store.journal.get(token))?.event).toBeUndefined();
  });

  test('an answer that never ends is cut off at the limit rather than read on', async () => {
    const { token } = newOrder();
    h.appDirect.faults.event(token, { endless: true });
    const res = await h.appDirect.notify(h.connector.url, token);
    expect(res).toEqual({ status: 200, body: expect.objectContaining({ success: false, errorCode: 'INVALID_RESPONSE' }) });
    const hungUp = await eventually(() => h.appDirect.timeline.find((t) => t.token === token && t.detail.includes('hung up'))!.detail);
    // What the marketplace managed to write before the connector hung up: the limit plus what sockets buffer.
    expect(Number(/after (\d+) bytes/.exec(hungUp)![1])).toBeLessThan(16 * 1024 * 1024);
  });

  test('an event nested 20,000 levels deep → INVALID_RESPONSE naming the depth, and the server keeps serving', async () => {
    const { token } = newOrder();
    h.appDirect.faults.event(token, { body: `{"type":"SUBSCRIPTION_ORDER","payload":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}` });
    const res = await h.appDirect.notify(h.connector.url, token);
    expect(res).toEqual({ status: 200, body: { success: false, errorCode: 'INVALID_RESPONSE', message: expect.stringContaining('nested deeper than 64 levels') } });
    expect((await axios.get(`${h.connector.url}/health`)).status).toBe(200);
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
});
