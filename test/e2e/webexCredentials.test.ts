import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import axios from 'axios';
import { orderEvent } from '../../sim/appdirect/events';
import { runEventsCli } from '../../src/events-cli/cli';
import { workJobId } from '../../src/jobs/eventJobs';
import { WAITING_FOR_CREDENTIALS } from '../../src/jobs/webexCredentials';
import { eventually, Harness, startHarness } from '../support/harness';
import { sample } from '../support/prometheus';

/** The integration the connector renews its tokens with, registered with the Webex simulator. */
const INTEGRATION = { clientId: 'connector-integration', clientSecret: 'integration-SECRET-4c1b9e' };

const renewable = (accessTokenLifetimeSeconds: number) => ({
  webexOAuth: { clients: [INTEGRATION], accessTokenLifetimeSeconds },
  envFor: ({ webex }: Pick<Harness, 'webex'>) => ({
    // No fixed token: every access token comes from the refresh_token grant.
    WEBEX_TOKEN: '',
    WEBEX_CLIENT_ID: INTEGRATION.clientId,
    WEBEX_CLIENT_SECRET: INTEGRATION.clientSecret,
    WEBEX_REFRESH_TOKEN: webex.oauth.grantRefreshToken(INTEGRATION.clientId),
  }),
});

const order = (h: Harness, company = randomUUID()) => {
  const added = h.appDirect.addEvent(orderEvent({ companyUuid: company, companyName: `Renewed ${company.slice(0, 6)}`, email: `${company.slice(0, 8)}@buyer.example.com`, firstName: 'R', lastName: 'R', editionCode: 'BASIC' }));
  return { ...added, company };
};

const creations = (h: Harness, path: string) => h.webex.calls.filter((c) => c.method === 'POST' && c.path === path && c.status < 300).length;

const scrape = async (h: Harness) => (await axios.get<string>(`${h.connector.metricsUrl}/metrics`, { responseType: 'text' })).data;

async function events(h: Harness, argv: string[], stdin?: string): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runEventsCli(argv, { DATA_DIR: h.dataDir }, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, stdin: stdin === undefined ? undefined : Readable.from([stdin]) });
  return { status, stdout, stderr };
}

describe('renewable Webex credentials', () => {
  let h: Harness;
  beforeAll(async () => {
    // Access tokens last 2 s: the connector renews them ahead of expiry (at half their life) again and again.
    h = await startHarness({ ...renewable(2), customerProvisioningMs: 2500, env: { EDITION_PACKAGES: '{"BASIC":"webex_meetings"}', SYNC_BUDGET_MS: '200' } });
  });
  afterAll(() => h.close());

  test('access tokens that expire while Webex provisions a new customer are renewed, and the order finishes once', async () => {
    const grantsBefore = h.webex.oauth.grantsServed();
    const { token, company } = order(h);
    expect((await h.appDirect.notify(h.connector.url, token)).status).toBe(202);
    // Webex also refuses the token it handed out (an early expiry): one 401, one renewal, the call again.
    await eventually(() => expect(h.webex.calls.some((c) => c.path === '/wholesale/customers' && c.method === 'POST')).toBe(true));
    h.webex.oauth.expireAccessTokens();
    await expect(h.appDirect.waitForResult(token, 20_000)).resolves.toMatchObject({ success: true, accountIdentifier: company });
    expect(h.webex.oauth.grantsServed() - grantsBefore).toBeGreaterThanOrEqual(2);
    expect(h.webex.calls.some((c) => c.status === 401)).toBe(true);
    expect(creations(h, '/wholesale/customers')).toBe(1);
    expect(creations(h, '/wholesale/subscribers')).toBe(1);
    expect(h.appDirect.results.filter((r) => r.token === token)).toHaveLength(1);
    const text = await scrape(h);
    expect(sample(text, 'connector_webex_credentials_valid')).toBe(1);
    expect(sample(text, 'connector_webex_access_token_expiry_seconds')).toBeLessThanOrEqual(2);
    expect(sample(text, 'connector_webex_refresh_token_expiry_seconds')).toBeGreaterThan(80 * 24 * 3600);
  });
});

describe('a Webex credential that lapses', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ...renewable(3600), env: { EDITION_PACKAGES: '{"BASIC":"webex_meetings"}', SYNC_BUDGET_MS: '200', ADMIN_TOKEN: 'admin-SECRET-token-lapse-8d2f' } });
  });
  afterAll(() => h.close());

  test('makes events wait, visibly, none failed or lost; a new refresh token given without a restart finishes each exactly once', async () => {
    // The connector has renewed once at start; then the administrator revokes its refresh token and Webex its access token.
    const stored = await eventually(async () => {
      const tokens = (await h.connector.store.credentials.load('webex'))?.secrets as { refreshToken?: string; accessToken?: string } | undefined;
      if (!tokens?.refreshToken) throw new Error('no renewed tokens stored yet');
      return tokens;
    });
    h.webex.oauth.revoke(stored.refreshToken!);
    h.webex.oauth.revoke(stored.accessToken!);

    const orders = [order(h), order(h), order(h)];
    for (const o of orders) expect((await h.appDirect.notify(h.connector.url, o.token)).status).toBe(202);
    for (const o of orders) {
      await eventually(async () => expect(await h.connector.store.queue.get(workJobId(o.token))).toMatchObject({ state: 'queued', attempts: 0, waitingFor: WAITING_FOR_CREDENTIALS }));
    }
    expect(await Promise.all(orders.map((o) => h.connector.store.journal.get(o.token)))).toEqual(orders.map(() => expect.objectContaining({ result: undefined })));

    // It shows: the gauge, one error line saying what to renew, the events CLI, the operator page.
    expect(sample(await scrape(h), 'connector_webex_credentials_valid')).toBe(0);
    const lapsedLines = h.logs.map((l) => JSON.parse(l)).filter((l) => String(l.msg).startsWith('Webex credentials do not work'));
    expect(lapsedLines).toHaveLength(1);
    expect(lapsedLines[0]).toMatchObject({ level: 50, oauthError: 'invalid_grant', credential: expect.stringContaining('WEBEX_REFRESH_TOKEN') });
    const listed = await events(h, ['list']);
    expect(listed.stdout).toMatch(/^Waiting for Webex credentials: 3 event\(s\)/);
    expect(listed.stdout).toContain('waiting for Webex credentials');
    const signIn = await axios.post(`${h.connector.url}/admin/login`, 'token=admin-SECRET-token-lapse-8d2f', { maxRedirects: 0, validateStatus: () => true, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' } });
    const cookie = String(signIn.headers['set-cookie']?.[0]).split(';')[0];
    const page = await axios.get<string>(`${h.connector.url}/admin`, { headers: { Cookie: cookie } });
    expect(page.data).toContain('Webex credentials do not work');

    // The operator authorises the integration again and hands the connector the new refresh token.
    const fresh = h.webex.oauth.grantRefreshToken(INTEGRATION.clientId);
    const login = await events(h, ['webex-login'], `${fresh}\n`);
    expect(login).toMatchObject({ status: 0, stdout: expect.stringContaining('New Webex refresh token stored') });
    expect(login.stdout + login.stderr).not.toContain(fresh);

    for (const o of orders) await expect(h.appDirect.waitForResult(o.token, 20_000)).resolves.toMatchObject({ success: true, accountIdentifier: o.company });
    for (const o of orders) expect(h.appDirect.results.filter((r) => r.token === o.token)).toHaveLength(1);
    expect(creations(h, '/wholesale/customers')).toBe(3);
    expect(sample(await scrape(h), 'connector_webex_credentials_valid')).toBe(1);
    expect(h.logs.some((l) => l.includes('Webex credentials work again'))).toBe(true);
  });
});

describe('a fixed WEBEX_TOKEN', () => {
  test('is said at start to expire, and how to switch to renewable credentials', async () => {
    const h = await startHarness();
    try {
      expect(h.logs.map((l) => JSON.parse(l).msg)).toContainEqual(expect.stringContaining('WEBEX_TOKEN is a fixed access token: it expires'));
    } finally {
      await h.close();
    }
  });
});
