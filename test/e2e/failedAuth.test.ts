import axios from 'axios';
import { randomUUID } from 'node:crypto';
import { orderEvent } from '../../sim/appdirect/events';
import { basicAuthorization } from '../../src/appdirect/authorizationHeader';
import { SECRETS } from '../support/env';
import { eventually, Harness, HarnessOptions, startHarness } from '../support/harness';
import { sample } from '../support/prometheus';

const http = axios.create({ validateStatus: () => true });
const GOOD = basicAuthorization('appdirect', SECRETS.basicPassword);
const NOTIFIER = { clientId: 'appdirect-notifier', clientSecret: 'notifier-SECRET-0d6e-5c4b3a2918f7e6d5c4b3' };

async function withHarness(opts: HarnessOptions, body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startHarness(opts);
  try {
    await body(h);
  } finally {
    await h.close();
  }
}

const newOrder = (h: Harness) =>
  h.appDirect.addEvent(orderEvent({ companyUuid: randomUUID(), companyName: 'Served Co', email: `${randomUUID().slice(0, 8)}@served.example.com`, firstName: 'S', lastName: 'C', editionCode: 'webex_meetings' }));

/** A notification with the given Authorization, as anyone on the network could send it. */
const notifyWith = (h: Harness, authorization: string, headers: Record<string, string> = {}) =>
  http.get(`${h.connector.url}/subscription_receiver?eventUrl=${encodeURIComponent(newOrder(h).eventUrl)}`, { headers: { Authorization: authorization, ...headers } });

const timed = async <T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> => {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
};

const loggedSources = (h: Harness, msg: string) => h.logs.map((line) => JSON.parse(line) as { msg: string; source?: string }).filter((line) => line.msg === msg).map((line) => line.source);

const scrape = async (h: Harness) => (await http.get<string>(`${h.connector.url}/metrics`, { responseType: 'text' })).data;
const rejections = (h: Harness) => loggedSources(h, 'notification rejected: not from AppDirect').length;

describe('failed authentication is slowed down, and valid credentials are always served', () => {
  test('after 25 wrong passwords from the same address, AppDirect\'s notification is processed at once', () =>
    withHarness({ failureThrottle: { baseDelayMs: 10, maxDelayMs: 100 } }, async (h) => {
      const guesses = await Promise.all(Array.from({ length: 25 }, (_, i) => notifyWith(h, basicAuthorization('appdirect', `guess-${i}`))));
      const { token } = newOrder(h);
      expect(await h.appDirect.notify(h.connector.url, token)).toEqual({ status: 200, body: expect.objectContaining({ success: true }) });
      expect(guesses.map((res) => res.status)).toEqual(Array(25).fill(401));
      expect(sample(await scrape(h), 'connector_auth_failures_total', { endpoint: 'notifications' })).toBe(25);
    }));

  test('AppDirect is served while failures from its own address are being held', () =>
    withHarness({ failureThrottle: { baseDelayMs: 60_000, maxDelayMs: 60_000 } }, async (h) => {
      let answered = 0;
      const held = Array.from({ length: 5 }, (_, i) => notifyWith(h, basicAuthorization('appdirect', `guess-${i}`)).then(() => (answered += 1)));
      await eventually(() => expect(rejections(h)).toBe(5));
      const { token } = newOrder(h);
      expect(await h.appDirect.notify(h.connector.url, token)).toEqual({ status: 200, body: expect.objectContaining({ success: true }) });
      // Served while every failure was still waiting out its minute (closing the connector answers them).
      expect(answered).toBe(0);
      void Promise.all(held);
    }));

  test('each further failure from a source waits longer, doubling up to the cap', () =>
    withHarness({ failureThrottle: { baseDelayMs: 100, maxDelayMs: 400 } }, async (h) => {
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) {
        const { result, ms } = await timed(() => notifyWith(h, basicAuthorization('appdirect', `guess-${i}`)));
        expect(result.status).toBe(401);
        waits.push(ms);
      }
      // Lower bounds only: a timer never fires early, but a busy machine may make it late.
      [100, 200, 400, 400, 400].forEach((least, i) => expect(waits[i]).toBeGreaterThanOrEqual(least - 5));
    }));

  test('beyond the ceiling of failures held at once, more failures are answered 429 at once, and AppDirect is still served', () =>
    withHarness({ failureThrottle: { baseDelayMs: 3000, maxDelayMs: 3000, maxHeld: 2 } }, async (h) => {
      const first = Promise.all([0, 1].map((i) => notifyWith(h, basicAuthorization('appdirect', `guess-${i}`))));
      // A failure is held as soon as it is logged; with two held, the next three find the ceiling reached.
      await eventually(() => expect(rejections(h)).toBe(2));
      const shed = await Promise.all([2, 3, 4].map((i) => notifyWith(h, basicAuthorization('appdirect', `guess-${i}`))));
      expect(shed.map((res) => res.status)).toEqual([429, 429, 429]);
      expect(shed[0].headers['retry-after']).toBe('3');
      expect(shed[0].data).toEqual({ success: false, errorCode: 'UNAUTHORIZED', message: expect.stringContaining('Too many failed authentication attempts') });
      expect((await notifyWith(h, GOOD)).status).toBe(200);
      expect((await first).map((res) => res.status)).toEqual([401, 401]);
    }));
});

describe('TRUST_PROXY decides who the caller is', () => {
  test('by default X-Forwarded-For is ignored: rotating it neither escapes the count nor blames another address', () =>
    withHarness({ failureThrottle: { baseDelayMs: 100, maxDelayMs: 800 } }, async (h) => {
      const waits: number[] = [];
      for (let i = 0; i < 4; i++) {
        const { result, ms } = await timed(() => notifyWith(h, basicAuthorization('appdirect', `guess-${i}`), { 'X-Forwarded-For': `203.0.113.${i + 1}` }));
        expect(result.status).toBe(401);
        waits.push(ms);
      }
      expect(waits[3]).toBeGreaterThanOrEqual(800 - 5);
      expect(new Set(loggedSources(h, 'notification rejected: not from AppDirect'))).toEqual(new Set(['127.0.0.1']));
    }));

  test('behind one proxy (TRUST_PROXY=1) the address it forwards is the caller', () =>
    withHarness({ env: { TRUST_PROXY: '1' } }, async (h) => {
      expect((await notifyWith(h, basicAuthorization('appdirect', 'guess'), { 'X-Forwarded-For': '198.51.100.7, 203.0.113.9' })).status).toBe(401);
      expect(loggedSources(h, 'notification rejected: not from AppDirect')).toEqual(['203.0.113.9']);
      expect((await notifyWith(h, GOOD, { 'X-Forwarded-For': '203.0.113.9' })).status).toBe(200);
    }));
});

describe('POST /oauth2/token', () => {
  const requestToken = (h: Harness, secret: string) =>
    http.post(`${h.connector.url}/oauth2/token`, 'grant_type=client_credentials', {
      headers: { Authorization: basicAuthorization(NOTIFIER.clientId, secret), 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  const env = { NOTIFICATION_AUTH: 'oauth2', NOTIFICATION_OAUTH_CLIENT_ID: NOTIFIER.clientId, NOTIFICATION_OAUTH_CLIENT_SECRET: NOTIFIER.clientSecret };

  test('wrong secrets are slowed down, logged with the client ID and source but never the secret, and counted; the right one is served', () =>
    withHarness({ env, outbound: { mode: 'oauth2', ...NOTIFIER }, failureThrottle: { baseDelayMs: 50, maxDelayMs: 200 } }, async (h) => {
      const waits: number[] = [];
      for (let i = 0; i < 6; i++) {
        const { result, ms } = await timed(() => requestToken(h, `guessed-secret-${i}`));
        expect(result.status).toBe(401);
        expect(result.data).toEqual({ error: 'invalid_client' });
        waits.push(ms);
      }
      expect(waits[5]).toBeGreaterThanOrEqual(200 - 5);
      const refusals = h.logs.filter((line) => line.includes('token request refused'));
      expect(refusals).toHaveLength(6);
      expect(JSON.parse(refusals[0])).toMatchObject({ level: 40, clientId: NOTIFIER.clientId, source: '127.0.0.1' });
      expect(h.logs.filter((line) => line.includes('guessed-secret'))).toEqual([]);
      expect(sample(await scrape(h), 'connector_auth_failures_total', { endpoint: 'token' })).toBe(6);

      const right = await requestToken(h, NOTIFIER.clientSecret);
      expect(right.status).toBe(200);
      expect(h.logs.filter((line) => line.includes(NOTIFIER.clientSecret))).toEqual([]);
    }));

  test('an unknown client ID is not logged as given: it could be a secret typed into the wrong field', () =>
    withHarness({ env, outbound: { mode: 'oauth2', ...NOTIFIER }, failureThrottle: { baseDelayMs: 0, maxDelayMs: 0 } }, async (h) => {
      const res = await http.post(`${h.connector.url}/oauth2/token`, new URLSearchParams({ grant_type: 'client_credentials', client_id: NOTIFIER.clientSecret, client_secret: NOTIFIER.clientId }).toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(401);
      expect(h.logs.filter((line) => line.includes('token request refused')).map((line) => JSON.parse(line).clientId)).toEqual(['unknown']);
      expect(h.logs.filter((line) => line.includes(NOTIFIER.clientSecret))).toEqual([]);
    }));
});
