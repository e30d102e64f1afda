import axios from 'axios';
import express from 'express';
import { basicAuthorization } from '../../../src/appdirect/authorizationHeader';
import { parseEvent } from '../../../src/appdirect/eventSchema';
import { createMemoryNonceStore, createNotificationVerifier, NotificationAuthConfig } from '../../../src/appdirect/notificationAuth';
import { createInboundTokenRouter } from '../../../src/server/tokenEndpoint';
import { AppDirectSim, NOTIFICATION_PATH, SimOutboundAuth, startAppDirectSim } from '../../../sim/appdirect';
import { assignEvent, cancelEvent, changeEvent, noticeEvent, orderEvent, statelessPing, unassignEvent } from '../../../sim/appdirect/events';
import { listenOnLoopback } from '../../../sim/appdirect/listen';
import { testFailureThrottle } from '../../support/failures';
import { capturingLogger } from '../../support/logCapture';

const http = axios.create({ validateStatus: () => true });
const INBOUND = { clientId: 'connector-client', clientSecret: 'inbound-secret' };
const BASIC: SimOutboundAuth = { mode: 'basic', username: 'appdirect', password: 'outbound-secret' };

const anOrder = () =>
  orderEvent({
    companyUuid: 'company-1',
    companyName: 'Acme & Sons',
    email: 'buyer@acme.example',
    firstName: 'Ada',
    lastName: 'Buyer',
    editionCode: 'BASIC',
    address: { phone: '+1 555 0100', street1: '1 Main St', city: 'San Jose', state: 'CA', zip: '95131', country: 'US' },
  });

async function marketplaceToken(sim: AppDirectSim): Promise<string> {
  const res = await http.post(`${sim.url}/oauth2/token`, 'grant_type=client_credentials&scope=ROLE_APPLICATION', {
    headers: { Authorization: basicAuthorization(INBOUND.clientId, INBOUND.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  return res.data.access_token;
}

describe('simulated marketplace endpoints', () => {
  let sim: AppDirectSim;
  beforeEach(async () => (sim = await startAppDirectSim({ inbound: INBOUND, outbound: BASIC })));
  afterEach(() => sim.close());

  it('issues tokens only to the connector client asking for ROLE_APPLICATION', async () => {
    const post = (authorization: string, form: string) =>
      http.post(`${sim.url}/oauth2/token`, form, { headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' } });
    const good = basicAuthorization(INBOUND.clientId, INBOUND.clientSecret);

    expect((await post(good, 'grant_type=client_credentials&scope=ROLE_APPLICATION')).data).toMatchObject({ access_token: expect.any(String), expires_in: 3600 });
    expect((await post(basicAuthorization(INBOUND.clientId, 'nope'), 'grant_type=client_credentials&scope=ROLE_APPLICATION')).status).toBe(401);
    expect((await post(good, 'grant_type=client_credentials&scope=ROLE_ADMIN')).status).toBe(401);
    expect(sim.counts.tokenRequests).toBe(3);
  });

  it('serves an added event as JSON when asked, XML otherwise, with its own base URL filled in', async () => {
    const { token, eventUrl } = sim.addEvent(anOrder(), { token: 'fixed-token' });
    expect(token).toBe('fixed-token');
    expect(eventUrl).toBe(`${sim.url}/api/integration/v1/events/fixed-token`);
    const bearer = { Authorization: `Bearer ${await marketplaceToken(sim)}` };

    const json = await http.get(eventUrl, { headers: { ...bearer, Accept: 'application/json' } });
    expect(json.data).toMatchObject({ type: 'SUBSCRIPTION_ORDER', marketplace: { baseUrl: sim.url, partner: 'SIMULATED' } });

    const xml = await http.get(eventUrl, { headers: { ...bearer, Accept: '*/*' }, responseType: 'text' });
    expect(xml.headers['content-type']).toContain('application/xml');
    expect(xml.data).toContain('<type>SUBSCRIPTION_ORDER</type>');
    expect(xml.data).toContain('<name>Acme &amp; Sons</name>');
  });

  it('refuses event reads without a valid bearer and answers 404 for unknown tokens', async () => {
    const { eventUrl } = sim.addEvent(anOrder());
    expect((await http.get(eventUrl)).status).toBe(401);
    expect((await http.get(eventUrl, { headers: { Authorization: 'Bearer made-up' } })).data).toEqual({ error: 'unauthorized', reason: 'unknown bearer token' });
    const bearer = `Bearer ${await marketplaceToken(sim)}`;
    expect((await http.get(`${sim.url}/api/integration/v1/events/unknown`, { headers: { Authorization: bearer } })).status).toBe(404);
  });

  it('records valid results, refuses invalid ones and results for unknown events', async () => {
    const { token } = sim.addEvent(anOrder());
    const headers = { Authorization: `Bearer ${await marketplaceToken(sim)}` };
    const resultUrl = (t: string) => `${sim.url}/api/integration/v1/events/${t}/result`;

    const waiting = sim.waitForResult(token);
    expect((await http.post(resultUrl(token), { success: false, errorCode: 'UNKNOWN ERROR', message: 'x' }, { headers })).status).toBe(400);
    expect((await http.post(resultUrl(token), { success: true, surprise: 1 }, { headers })).status).toBe(400);
    expect((await http.post(resultUrl('unknown'), { success: true }, { headers })).status).toBe(404);
    expect((await http.post(resultUrl(token), { success: true, accountIdentifier: 'acct-1' }, { headers })).status).toBe(204);

    await expect(waiting).resolves.toEqual({ success: true, accountIdentifier: 'acct-1' });
    await expect(sim.waitForResult(token)).resolves.toEqual({ success: true, accountIdentifier: 'acct-1' });
    expect(sim.results.map((result) => result.token)).toEqual([token]);
    expect(sim.timeline.filter((step) => step.kind === 'result').map((step) => step.detail)).toContain('refused an invalid result: 400');
  });

  it('gives up waiting for a result that never comes', async () => {
    const { token } = sim.addEvent(anOrder());
    await expect(sim.waitForResult(token, 50)).rejects.toThrow(`no result posted for event ${token} within 50 ms`);
  });

  it('applies a fault the given number of times, a token-specific one before a general one', async () => {
    const { token, eventUrl } = sim.addEvent(anOrder());
    const headers = { Authorization: `Bearer ${await marketplaceToken(sim)}`, Accept: 'application/json' };
    sim.faults.event('*', { status: 503 });
    sim.faults.event(token, { status: 500, times: 1 });

    expect((await http.get(eventUrl, { headers })).status).toBe(500);
    expect((await http.get(eventUrl, { headers })).status).toBe(503);
    sim.faults.clear();
    expect((await http.get(eventUrl, { headers })).status).toBe(200);
    expect(sim.counts.eventFetches).toBe(3);
  });
});

describe('notifications from the simulator', () => {
  /** A minimal receiver that checks notifications the way the connector does and echoes what it got. */
  async function startConnector(cfg: NotificationAuthConfig) {
    const verifier = createNotificationVerifier(cfg, { nonces: createMemoryNonceStore() });
    const app = express();
    if (cfg.mode === 'oauth2') app.use(createInboundTokenRouter(cfg, { logger: capturingLogger().logger, failures: testFailureThrottle() }));
    app.all(NOTIFICATION_PATH, async (req, res) => {
      const verdict = await verifier.verify(req);
      res.status(verdict.ok ? 200 : 401).json({ verdict, method: req.method, query: req.query });
    });
    return listenOnLoopback(app);
  }

  it.each<[string, SimOutboundAuth, NotificationAuthConfig]>([
    ['basic', BASIC, { mode: 'basic', username: 'appdirect', password: 'outbound-secret' }],
    ['oauth1', { mode: 'oauth1', consumerKey: 'ck', consumerSecret: 'cs' }, { mode: 'oauth1', consumerKey: 'ck', consumerSecret: 'cs' }],
    ['oauth2', { mode: 'oauth2', clientId: 'ad', clientSecret: 'as' }, { mode: 'oauth2', clientId: 'ad', clientSecret: 'as' }],
  ])('signs notifications with %s outbound credentials the connector accepts', async (_mode, outbound, connectorAuth) => {
    const sim = await startAppDirectSim({ inbound: INBOUND, outbound });
    const connector = await startConnector(connectorAuth);
    try {
      const { token, eventUrl } = sim.addEvent(anOrder());
      const first = await sim.notify(connector.url, token, { eventType: 'create' });
      const second = await sim.notify(connector.url, token, { method: 'POST' });

      expect(first).toEqual({ status: 200, body: { verdict: { ok: true }, method: 'GET', query: { eventUrl, eventType: 'create' } } });
      expect(second).toMatchObject({ status: 200, body: { verdict: { ok: true }, method: 'POST' } });
      expect(sim.timeline.filter((step) => step.kind === 'notify-answer')).toHaveLength(2);
      // oauth2: one token from the connector, reused for the second notification
      expect(sim.timeline.filter((step) => step.kind === 'token')).toHaveLength(outbound.mode === 'oauth2' ? 1 : 0);
    } finally {
      await Promise.all([sim.close(), connector.close()]);
    }
  });

  it('lets a test replace the Authorization header or the eventUrl', async () => {
    const sim = await startAppDirectSim({ inbound: INBOUND, outbound: BASIC });
    const connector = await startConnector({ mode: 'basic', username: 'appdirect', password: 'outbound-secret' });
    try {
      const { token } = sim.addEvent(anOrder());
      expect(await sim.notify(connector.url, token, { authOverride: null })).toMatchObject({ status: 401, body: { verdict: { reason: 'missing Authorization header' } } });
      expect(await sim.notify(connector.url, token, { authOverride: 'Basic Zm9vOmJhcg==' })).toMatchObject({ status: 401 });
      const redirected = await sim.notify(connector.url, token, { eventUrlOverride: 'https://evil.example/events/x' });
      expect(redirected).toMatchObject({ status: 200, body: { query: { eventUrl: 'https://evil.example/events/x' } } });
    } finally {
      await Promise.all([sim.close(), connector.close()]);
    }
  });
});

describe('event builders', () => {
  it.each([
    ['order', anOrder()],
    ['change', changeEvent({ accountIdentifier: 'acct-1', email: 'buyer@acme.example', editionCode: 'PRO' })],
    ['cancel', cancelEvent({ accountIdentifier: 'acct-1' })],
    ['notice', noticeEvent({ accountIdentifier: 'acct-1', type: 'DEACTIVATED' })],
    ['assign', assignEvent({ accountIdentifier: 'acct-1', user: { email: 'new@acme.example', firstName: 'New', lastName: 'User' } })],
    ['unassign', unassignEvent({ accountIdentifier: 'acct-1', user: { email: 'old@acme.example', firstName: 'Old', lastName: 'User', uuid: 'u-1' } })],
    ['ping', statelessPing('SUBSCRIPTION_ORDER')],
  ])('builds a %s event the connector parses', (_kind, event) => {
    expect(parseEvent(event)).toMatchObject({ ok: true });
  });

  it('fills the fields the connector reads', () => {
    const order = anOrder() as { creator: { address: Record<string, unknown> }; payload: { company: Record<string, unknown> }; flag: unknown };
    expect(order.payload.company).toMatchObject({ uuid: 'company-1', name: 'Acme & Sons', phoneNumber: '+1 555 0100', country: 'US' });
    expect(order.creator.address).toMatchObject({ firstName: 'Ada', lastName: 'Buyer', street1: '1 Main St', zip: '95131' });
    expect(order.flag).toBeNull();
    expect(statelessPing('USER_ASSIGNMENT')).toMatchObject({ type: 'USER_ASSIGNMENT', flag: 'STATELESS' });
  });
});
