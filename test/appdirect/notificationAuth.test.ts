import axios from 'axios';
import express from 'express';
import { createHmac } from 'node:crypto';
import { basicAuthorization } from '../../src/appdirect/authorizationHeader';
import {
  createMemoryNonceStore,
  createNotificationVerifier,
  NotificationAuthConfig,
} from '../../src/appdirect/notificationAuth';
import { createInboundTokenRouter } from '../../src/server/tokenEndpoint';
import { oauth1Authorization } from '../../src/appdirect/oauth1';
import { listenOnLoopback } from '../../sim/appdirect/listen';
import { testFailureThrottle } from '../support/failures';
import { capturingLogger } from '../support/logCapture';

const http = axios.create({ validateStatus: () => true });

/** RFC 5849 §3.6 percent-encoding of UTF-8, written out from the RFC, independently of the implementation under test. */
const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** RFC 5849 §3.4.1 and §3.4.2 (HMAC-SHA1, no token), from the RFC text: the signer AppDirect's side could be. */
function independentHmacSha1Signature(method: string, url: string, protocol: Array<[string, string]>, consumerSecret: string): string {
  const parsed = new URL(url);
  const query = parsed.search
    .slice(1)
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=').map((part) => decodeURIComponent(part.replace(/\+/g, ' '))) as [string, string]);
  const normalized = [...query, ...protocol]
    .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
    .sort()
    .join('&');
  const baseUri = `${parsed.protocol}//${parsed.host}${parsed.pathname}`.toLowerCase();
  const baseString = `${method.toUpperCase()}&${rfc3986(baseUri)}&${rfc3986(normalized)}`;
  return createHmac('sha1', `${rfc3986(consumerSecret)}&`).update(baseString).digest('base64');
}

const tokenLog = capturingLogger();

/** A stand-in for the connector's notification route: 200 when the verifier accepts, 401 with its reason otherwise. */
async function startReceiver(cfg: NotificationAuthConfig, clock: { nowMs: number }) {
  const now = () => clock.nowMs;
  const verifier = createNotificationVerifier(cfg, { nonces: createMemoryNonceStore(now), now });
  const app = express();
  if (cfg.mode === 'oauth2') app.use(createInboundTokenRouter(cfg, { now, logger: tokenLog.logger, failures: testFailureThrottle() }));
  app.all('/subscription_receiver', async (req, res) => {
    const verdict = await verifier.verify(req);
    res.status(verdict.ok ? 200 : 401).json(verdict);
  });
  const server = await listenOnLoopback(app);
  return { ...server, verifier, notificationUrl: `${server.url}/subscription_receiver?eventUrl=${encodeURIComponent('https://market.example/api/integration/v1/events/tok-1')}` };
}

describe('basic notification auth', () => {
  const cfg: NotificationAuthConfig = { mode: 'basic', username: 'appdirect', password: 'outbound-secret' };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => (receiver = await startReceiver(cfg, { nowMs: Date.now() })));
  afterAll(() => receiver.close());

  it('accepts the configured credentials', async () => {
    const res = await http.get(receiver.notificationUrl, { headers: { Authorization: basicAuthorization('appdirect', 'outbound-secret') } });
    expect(res.status).toBe(200);
  });

  it.each([
    ['a wrong password', basicAuthorization('appdirect', 'guess'), 'invalid credentials'],
    ['a wrong user', basicAuthorization('someone', 'outbound-secret'), 'invalid credentials'],
    ['a longer password', basicAuthorization('appdirect', 'outbound-secret-and-more'), 'invalid credentials'],
    ['no colon', `Basic ${Buffer.from('appdirect').toString('base64')}`, 'malformed Basic credentials'],
    ['another scheme', 'Bearer abc', 'expected Basic authentication'],
  ])('refuses %s', async (_case, authorization, reason) => {
    const res = await http.get(receiver.notificationUrl, { headers: { Authorization: authorization } });
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ ok: false, reason });
    expect(JSON.stringify(res.data)).not.toContain('outbound-secret');
  });

  it('refuses a notification without Authorization', async () => {
    const res = await http.get(receiver.notificationUrl);
    expect(res.data).toEqual({ ok: false, reason: 'missing Authorization header' });
  });
});

describe('OAuth 1.0a notification auth', () => {
  const credentials = { consumerKey: 'connector-key', consumerSecret: 'consumer-secret' };
  const clock = { nowMs: Date.UTC(2025, 0, 1, 12) };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => (receiver = await startReceiver({ mode: 'oauth1', ...credentials }, clock)));
  afterAll(() => receiver.close());

  const send = (url: string, authorization: string, method: 'GET' | 'POST' = 'GET') => http.request({ method, url, headers: { Authorization: authorization } });

  it('accepts a GET signed for the URL it was sent to, query included', async () => {
    const res = await send(receiver.notificationUrl, oauth1Authorization(credentials, 'GET', receiver.notificationUrl, clock.nowMs));
    expect(res.data).toEqual({ ok: true });
  });

  it('accepts a signed POST', async () => {
    const res = await send(receiver.notificationUrl, oauth1Authorization(credentials, 'POST', receiver.notificationUrl, clock.nowMs), 'POST');
    expect(res.data).toEqual({ ok: true });
  });

  it('refuses a signature made for another method', async () => {
    const res = await send(receiver.notificationUrl, oauth1Authorization(credentials, 'POST', receiver.notificationUrl, clock.nowMs));
    expect(res.data).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a signature for a different eventUrl', async () => {
    const signed = oauth1Authorization(credentials, 'GET', receiver.notificationUrl, clock.nowMs);
    const tampered = receiver.notificationUrl.replace('tok-1', 'tok-2');
    expect((await send(tampered, signed)).data).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a request with an added query parameter', async () => {
    const signed = oauth1Authorization(credentials, 'GET', receiver.notificationUrl, clock.nowMs);
    expect((await send(`${receiver.notificationUrl}&eventType=cancel`, signed)).data).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a tampered oauth parameter', async () => {
    const signed = oauth1Authorization(credentials, 'GET', receiver.notificationUrl, clock.nowMs);
    const tampered = signed.replace(/oauth_nonce="[^"]+"/, 'oauth_nonce="another"');
    expect((await send(receiver.notificationUrl, tampered)).data).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses a signature made with another secret', async () => {
    const signed = oauth1Authorization({ ...credentials, consumerSecret: 'wrong' }, 'GET', receiver.notificationUrl, clock.nowMs);
    expect((await send(receiver.notificationUrl, signed)).data).toEqual({ ok: false, reason: 'signature mismatch' });
  });

  it('refuses an unknown consumer key', async () => {
    const signed = oauth1Authorization({ ...credentials, consumerKey: 'other-key' }, 'GET', receiver.notificationUrl, clock.nowMs);
    expect((await send(receiver.notificationUrl, signed)).data).toEqual({ ok: false, reason: 'unknown consumer key' });
  });

  it.each([-301, 301])('refuses a timestamp %i s away from now', async (offsetSeconds) => {
    const signed = oauth1Authorization(credentials, 'GET', receiver.notificationUrl, clock.nowMs + offsetSeconds * 1000);
    expect((await send(receiver.notificationUrl, signed)).data).toEqual({ ok: false, reason: 'timestamp outside the ±5 minute window' });
  });

  it('accepts a timestamp just inside the window', async () => {
    const signed = oauth1Authorization(credentials, 'GET', receiver.notificationUrl, clock.nowMs - 290_000);
    expect((await send(receiver.notificationUrl, signed)).data).toEqual({ ok: true });
  });

  it('refuses a replayed nonce', async () => {
    const signed = oauth1Authorization(credentials, 'GET', receiver.notificationUrl, clock.nowMs);
    expect((await send(receiver.notificationUrl, signed)).data).toEqual({ ok: true });
    expect((await send(receiver.notificationUrl, signed)).data).toEqual({ ok: false, reason: 'nonce already used' });
  });

  /** The Authorization header's parameters, decoded, in order. */
  const oauthParameters = (authorization: string) =>
    authorization
      .replace(/^OAuth /, '')
      .split(', ')
      .map((pair) => /^([^=]+)="([^"]*)"$/.exec(pair)!)
      .map(([, name, value]) => [decodeURIComponent(name), decodeURIComponent(value)] as [string, string]);

  it('refuses a captured request replayed an hour later with its signed parameters moved into the query and fresh ones in the header', async () => {
    const capturedAt = clock.nowMs;
    const captured = oauth1Authorization(credentials, 'GET', receiver.notificationUrl, capturedAt);
    expect((await send(receiver.notificationUrl, captured)).data).toEqual({ ok: true });

    clock.nowMs = capturedAt + 3600_000;
    try {
      const signed = oauthParameters(captured);
      const signature = signed.find(([name]) => name === 'oauth_signature')![1];
      const moved = `${receiver.notificationUrl}&${new URLSearchParams(signed.filter(([name]) => name !== 'oauth_signature')).toString()}`;
      for (const nonce of ['fresh-nonce-1', 'fresh-nonce-2']) {
        const fresh = { oauth_consumer_key: credentials.consumerKey, oauth_nonce: nonce, oauth_signature_method: 'HMAC-SHA1', oauth_timestamp: String(clock.nowMs / 1000), oauth_version: '1.0', oauth_signature: signature };
        const header = `OAuth ${Object.entries(fresh).map(([name, value]) => `${name}="${encodeURIComponent(value)}"`).join(', ')}`;
        const res = await send(moved, header);
        expect(res.status).toBe(401);
        expect(res.data).toEqual({ ok: false, reason: 'OAuth protocol parameters in more than one place (the Authorization header and the query)' });
      }
    } finally {
      clock.nowMs = capturedAt;
    }
  });

  it('refuses any oauth_ parameter in the query next to the header, even one the header lacks', async () => {
    const url = `${receiver.notificationUrl}&oauth_token=abc`;
    const res = await send(url, oauth1Authorization(credentials, 'GET', url, clock.nowMs));
    expect(res.data).toEqual({ ok: false, reason: 'OAuth protocol parameters in more than one place (the Authorization header and the query)' });
  });

  it('refuses a protocol parameter given twice in the header', async () => {
    const signed = oauth1Authorization(credentials, 'GET', receiver.notificationUrl, clock.nowMs);
    const res = await send(receiver.notificationUrl, `${signed}, oauth_nonce="second"`);
    expect(res.data).toEqual({ ok: false, reason: 'malformed OAuth Authorization header' });
  });

  it('verifies a request signed by an independent implementation of RFC 5849, repeated and encoded query parameters included', async () => {
    const url = `${receiver.notificationUrl}&a=2&a=1&b=x+y&c=%21%2A&d=caf%C3%A9&e=`;
    const protocol: Array<[string, string]> = [
      ['oauth_consumer_key', credentials.consumerKey],
      ['oauth_nonce', 'independent-nonce'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', String(clock.nowMs / 1000)],
      ['oauth_version', '1.0'],
    ];
    const signature = independentHmacSha1Signature('GET', url, protocol, credentials.consumerSecret);
    const header = `OAuth realm="appdirect", ${[...protocol, ['oauth_signature', signature]].map(([name, value]) => `${rfc3986(name)}="${rfc3986(value)}"`).join(',')}`;
    expect((await send(url, header)).data).toEqual({ ok: true });
  });

  it('refuses other signature methods and malformed headers', async () => {
    const plaintext = oauth1Authorization(credentials, 'GET', receiver.notificationUrl, clock.nowMs).replace('HMAC-SHA1', 'PLAINTEXT');
    expect((await send(receiver.notificationUrl, plaintext)).data).toEqual({ ok: false, reason: 'unsupported signature method' });
    expect((await send(receiver.notificationUrl, 'OAuth garbage')).data).toEqual({ ok: false, reason: 'malformed OAuth Authorization header' });
    expect((await send(receiver.notificationUrl, basicAuthorization('a', 'b'))).data).toEqual({ ok: false, reason: 'expected OAuth authorization' });
  });

  it('checks the URL AppDirect called when a public base URL is configured (behind a proxy)', async () => {
    const behindProxy = await startReceiver({ mode: 'oauth1', ...credentials, publicBaseUrl: 'https://abc.ngrok.example/' }, clock);
    try {
      const path = behindProxy.notificationUrl.slice(behindProxy.url.length);
      const signedPublic = oauth1Authorization(credentials, 'GET', `https://abc.ngrok.example${path}`, clock.nowMs);
      expect((await send(behindProxy.notificationUrl, signedPublic)).data).toEqual({ ok: true });
      const signedLocal = oauth1Authorization(credentials, 'GET', behindProxy.notificationUrl, clock.nowMs);
      expect((await send(behindProxy.notificationUrl, signedLocal)).data).toEqual({ ok: false, reason: 'signature mismatch' });
    } finally {
      await behindProxy.close();
    }
  });
});

describe('OAuth 2.0 notification auth', () => {
  const cfg = { mode: 'oauth2' as const, clientId: 'appdirect-client', clientSecret: 'notification-secret', tokenTtlSeconds: 600 };
  const clock = { nowMs: Date.UTC(2025, 0, 1, 12) };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => (receiver = await startReceiver(cfg, clock)));
  afterAll(() => receiver.close());

  const requestToken = (form: Record<string, string>, authorization?: string) =>
    http.post(`${receiver.url}/oauth2/token`, new URLSearchParams(form).toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(authorization ? { Authorization: authorization } : {}) },
    });
  const notifyWith = (authorization: string) => http.get(receiver.notificationUrl, { headers: { Authorization: authorization } });

  it('issues a token to a client authenticated with HTTP Basic, and accepts it on a notification', async () => {
    const res = await requestToken({ grant_type: 'client_credentials' }, basicAuthorization(cfg.clientId, cfg.clientSecret));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.data).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 600 });
    expect((await notifyWith(`Bearer ${res.data.access_token}`)).data).toEqual({ ok: true });
  });

  it('issues a token to a client authenticated with form fields', async () => {
    const res = await requestToken({ grant_type: 'client_credentials', client_id: cfg.clientId, client_secret: cfg.clientSecret });
    expect(res.status).toBe(200);
    expect((await notifyWith(`Bearer ${res.data.access_token}`)).data).toEqual({ ok: true });
  });

  it.each([
    ['a wrong secret', { grant_type: 'client_credentials' }, basicAuthorization(cfg.clientId, 'guess')],
    ['a wrong client id', { grant_type: 'client_credentials', client_id: 'other', client_secret: cfg.clientSecret }, undefined],
    ['no client at all', { grant_type: 'client_credentials' }, undefined],
  ])('answers 401 invalid_client for %s', async (_case, form, authorization) => {
    const res = await requestToken(form, authorization);
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ error: 'invalid_client' });
  });

  it('answers 400 for another grant type', async () => {
    const res = await requestToken({ grant_type: 'password' }, basicAuthorization(cfg.clientId, cfg.clientSecret));
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ error: 'unsupported_grant_type' });
  });

  it('accepts a token issued by another instance with the same configuration', async () => {
    const other = await startReceiver(cfg, clock);
    try {
      const res = await http.post(`${other.url}/oauth2/token`, 'grant_type=client_credentials', {
        headers: { Authorization: basicAuthorization(cfg.clientId, cfg.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect((await notifyWith(`Bearer ${res.data.access_token}`)).data).toEqual({ ok: true });
    } finally {
      await other.close();
    }
  });

  it('refuses an expired token', async () => {
    const issuedAt = clock.nowMs;
    const res = await requestToken({ grant_type: 'client_credentials' }, basicAuthorization(cfg.clientId, cfg.clientSecret));
    clock.nowMs = issuedAt + 600_000;
    try {
      expect((await notifyWith(`Bearer ${res.data.access_token}`)).data).toEqual({ ok: false, reason: 'token expired' });
    } finally {
      clock.nowMs = issuedAt;
    }
  });

  it('refuses a token signed with another secret, and a token whose claims were edited', async () => {
    const forger = await startReceiver({ ...cfg, clientSecret: 'not-the-secret' }, clock);
    try {
      const forged = await http.post(`${forger.url}/oauth2/token`, 'grant_type=client_credentials', {
        headers: { Authorization: basicAuthorization(cfg.clientId, 'not-the-secret'), 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      expect((await notifyWith(`Bearer ${forged.data.access_token}`)).data).toEqual({ ok: false, reason: 'token signature mismatch' });
    } finally {
      await forger.close();
    }

    const genuine = await requestToken({ grant_type: 'client_credentials' }, basicAuthorization(cfg.clientId, cfg.clientSecret));
    const [version, claims, signature] = String(genuine.data.access_token).split('.');
    const extended = { ...JSON.parse(Buffer.from(claims, 'base64url').toString()), exp: 9_999_999_999 };
    const edited = `${version}.${Buffer.from(JSON.stringify(extended)).toString('base64url')}.${signature}`;
    expect((await notifyWith(`Bearer ${edited}`)).data).toEqual({ ok: false, reason: 'token signature mismatch' });
  });

  it.each([
    ['no header', undefined, 'missing Authorization header'],
    ['Basic credentials', basicAuthorization(cfg.clientId, cfg.clientSecret), 'expected a Bearer token'],
    ['an empty bearer', 'Bearer ', 'expected a Bearer token'],
    ['garbage', 'Bearer not-a-token', 'malformed token'],
  ])('refuses %s', async (_case, authorization, reason) => {
    const res = await http.get(receiver.notificationUrl, { headers: authorization ? { Authorization: authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.data).toEqual({ ok: false, reason });
  });
});
