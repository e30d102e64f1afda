import { createLogger } from '../../src/log';
import { refreshAccessToken, WebexGrantRefused } from '../../src/webex/accessTokenGrant';
import { DataSourcesApi } from '../../src/webex/dataSources';
import { WebexApiError, WebexCredentialsError } from '../../src/webex/errors';
import { WebexHttp } from '../../src/webex/http';
import { WebexTokenSource, type WebexTokenSourceOptions } from '../../src/webex/tokenSource';
import { tokenSeed } from '../../src/webex/tokenVault';
import type { SimOAuthOptions } from '../../sim/webex';
import { SERVICE_APP, startByodsSim, type ByodsSim } from '../byods/support/sim';
import { SharedMemoryVault } from './support/memoryVault';

/** The token source against the simulator's OAuth endpoints, over real HTTP, on a clock the test moves. */

const INTEGRATION = { clientId: 'connector-integration', clientSecret: 'connector-integration-secret' };
const NAMES = { client: 'WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET', refreshToken: 'WEBEX_REFRESH_TOKEN', accessToken: 'WEBEX_TOKEN', personalToken: 'BYODS_PERSONAL_TOKEN' };
const HOUR = 3600_000;

let sim: ByodsSim;
let now: number;
let logText: string;
const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void (logText += line) } });
const noWait = async () => undefined;

async function startSim(oauth: SimOAuthOptions = {}): Promise<void> {
  sim = await startByodsSim({ now: () => now, oauth: { clients: [INTEGRATION], accessTokenLifetimeSeconds: 3600, ...oauth } });
}

beforeEach(() => {
  now = Date.parse('2030-01-01T00:00:00Z');
  logText = '';
});
afterEach(async () => {
  expectNoTokenIn(logText);
  await sim.close();
});

function source(opts: Partial<WebexTokenSourceOptions> = {}): WebexTokenSource {
  return new WebexTokenSource({ baseUrl: sim.url, logger, names: NAMES, now: () => now, http: { sleep: noWait }, ...opts });
}

function integrationSource(vault = new SharedMemoryVault(), refreshToken = sim.oauth.grantRefreshToken(INTEGRATION.clientId)): WebexTokenSource {
  return source({ client: INTEGRATION, refreshToken, vault, renewAheadMs: 10 * 60_000 });
}

/** A data-sources client authorised by `tokens`, as byods and the connector plug a token source in. */
function apiWith(tokens: WebexTokenSource): DataSourcesApi {
  return new DataSourcesApi(new WebexHttp({ baseUrl: sim.url, getToken: tokens.getToken, refreshToken: tokens.refreshToken, logger, sleep: noWait }));
}

/** Every token and secret the simulator saw or handed out. */
function secretsSeen(): string[] {
  const secrets = new Set<string>([sim.token, INTEGRATION.clientSecret, SERVICE_APP.clientSecret]);
  for (const call of sim.calls) {
    for (const body of [call.requestBody, call.responseBody] as Array<Record<string, unknown> | undefined>) {
      for (const key of ['access_token', 'refresh_token', 'client_secret', 'clientSecret']) if (typeof body?.[key] === 'string') secrets.add(body[key] as string);
    }
  }
  return [...secrets];
}

function expectNoTokenIn(text: string): void {
  for (const secret of secretsSeen()) expect(text).not.toContain(secret);
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => new Error('expected a failure'),
    (err: unknown) => err as Error,
  );
  expectNoTokenIn(outcome.message);
  return outcome;
}

test('renews ahead of expiry by the injected clock, not before, and saves what it got', async () => {
  await startSim();
  const vault = new SharedMemoryVault();
  const tokens = integrationSource(vault);
  const first = await tokens.getToken();
  expect(await apiWith(tokens).list()).toEqual([]);
  expect(sim.oauth.grantsServed()).toBe(1);
  expect(tokens.state()).toEqual({ renewable: true, accessExpiresAt: now + HOUR, refreshExpiresAt: expect.any(Number) });

  now += 49 * 60_000;
  expect(await tokens.getToken()).toBe(first);
  expect(sim.oauth.grantsServed()).toBe(1);

  now += 60_000; // ten minutes before expiry: due
  const second = await tokens.getToken();
  expect(second).not.toBe(first);
  expect(sim.oauth.grantsServed()).toBe(2);
  expect(vault.saved.map((saved) => saved.accessToken)).toEqual([first, second]);
  expect(vault.saved[1]).toMatchObject({ obtainedAt: now, accessExpiresAt: now + HOUR, seed: expect.stringMatching(/^sha256:/) });
});

test('a short-lived token is renewed at half its life at the latest', async () => {
  await startSim({ accessTokenLifetimeSeconds: 60 });
  const tokens = integrationSource();
  const first = await tokens.getToken();
  now += 29_000;
  expect(await tokens.getToken()).toBe(first);
  now += 1_000;
  expect(await tokens.getToken()).not.toBe(first);
});

test('concurrent callers share one renewal, and a 401 for a token already replaced renews nothing', async () => {
  await startSim();
  const tokens = integrationSource();
  const firsts = await Promise.all(Array.from({ length: 5 }, () => tokens.getToken()));
  expect(new Set(firsts).size).toBe(1);
  expect(sim.oauth.grantsServed()).toBe(1);

  const seconds = await Promise.all(Array.from({ length: 3 }, () => tokens.refreshToken(firsts[0])));
  expect(new Set(seconds).size).toBe(1);
  expect(seconds[0]).not.toBe(firsts[0]);
  expect(sim.oauth.grantsServed()).toBe(2);

  expect(await tokens.refreshToken(firsts[0])).toBe(seconds[0]);
  expect(sim.oauth.grantsServed()).toBe(2);
});

test('a 401 renews once and the call is sent again', async () => {
  await startSim();
  const tokens = integrationSource();
  const api = apiWith(tokens);
  await api.list();
  sim.oauth.revoke(await tokens.getToken());
  sim.calls.length = 0;

  await expect(api.list()).resolves.toEqual([]);
  expect(sim.calls.map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual(['GET /dataSources/ 401', 'POST /access_token 200', 'GET /dataSources/ 200']);
});

test('across rotations the newest refresh token is kept and used, the older ones are refused by Webex, and a restart continues from the vault', async () => {
  await startSim();
  const vault = new SharedMemoryVault();
  const supplied = sim.oauth.grantRefreshToken(INTEGRATION.clientId);
  const tokens = integrationSource(vault, supplied);
  for (let renewal = 0; renewal < 4; renewal++) {
    if (renewal > 0) now += 55 * 60_000;
    await tokens.getToken();
  }
  expect(sim.oauth.grantsServed()).toBe(4);
  const refreshTokens = vault.saved.map((saved) => saved.refreshToken!);
  expect(new Set([supplied, ...refreshTokens]).size).toBe(5);

  const grantHttp = new WebexHttp({ baseUrl: sim.url, getToken: () => '', logger, sleep: noWait });
  for (const old of [supplied, ...refreshTokens.slice(0, -1)]) {
    const refused = await failureOf(refreshAccessToken(grantHttp, INTEGRATION, old));
    expect(refused).toBeInstanceOf(WebexGrantRefused);
    expect(refused).toMatchObject({ code: 'invalid_grant', details: { status: 400 } });
  }

  // A restart with the refresh token first supplied: the vault's newer one wins.
  const restarted = integrationSource(vault, supplied);
  expect(await restarted.getToken()).toBe(vault.saved[3].accessToken);
  expect(await apiWith(restarted).list()).toEqual([]);
  now += 55 * 60_000;
  await restarted.getToken();
  expect(sim.oauth.grantsServed()).toBe(5);
  expect(vault.saved[4].refreshToken).not.toBe(refreshTokens[3]);
});

test('a refresh token the operator changed replaces what the vault holds', async () => {
  await startSim();
  const vault = new SharedMemoryVault();
  await integrationSource(vault).getToken();
  const fresh = sim.oauth.grantRefreshToken(INTEGRATION.clientId);
  const tokens = integrationSource(vault, fresh);
  const token = await tokens.getToken();
  expect(token).not.toBe(vault.saved[0].accessToken);
  expect(sim.calls.at(-1)?.requestBody).toMatchObject({ refresh_token: fresh });
  expect(vault.saved[1].seed).toBe(tokenSeed(INTEGRATION.clientId, fresh));
  expect(vault.saved[1].seed).not.toBe(vault.saved[0].seed);
});

test('two instances on one vault with an exclusive section renew once, and the other takes its result', async () => {
  await startSim();
  const vault = new SharedMemoryVault();
  const supplied = sim.oauth.grantRefreshToken(INTEGRATION.clientId);
  const [a, b] = [integrationSource(vault, supplied), integrationSource(vault, supplied)];
  const firsts = await Promise.all([a.getToken(), b.getToken()]);
  expect(firsts[0]).toBe(firsts[1]);
  expect(sim.oauth.grantsServed()).toBe(1);

  now += 55 * 60_000;
  const seconds = await Promise.all([a.getToken(), b.getToken(), a.getToken()]);
  expect(new Set(seconds).size).toBe(1);
  expect(sim.oauth.grantsServed()).toBe(2);
  expect(vault.saved).toHaveLength(2);
});

describe('when the refresh token is refused', () => {
  const bootstrap = () => ({ appId: SERVICE_APP.appId, targetOrgId: 'byods-org', personalToken: sim.token });

  test('the service app is bootstrapped once with the personal token, and its refresh token is used from then on', async () => {
    await startSim();
    const vault = new SharedMemoryVault();
    const revoked = sim.oauth.grantRefreshToken(SERVICE_APP.clientId);
    sim.oauth.revoke(revoked);
    const tokens = source({ client: SERVICE_APP, refreshToken: revoked, bootstrap: bootstrap(), vault });

    expect(await apiWith(tokens).list()).toEqual([]);
    expect(sim.calls.map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([
      'POST /access_token 400',
      `POST /applications/${SERVICE_APP.appId}/token 200`,
      'GET /dataSources/ 200',
    ]);
    expect(logText).toContain('The Webex refresh token no longer works; obtaining new tokens with the personal token');

    // The personal token lapses: the bootstrapped refresh token keeps things going.
    sim.oauth.revoke(sim.token);
    now += 55 * 60_000;
    expect(await apiWith(tokens).list()).toEqual([]);
    expect(sim.calls.at(-2)).toMatchObject({ path: '/access_token', status: 200, requestBody: { refresh_token: vault.saved[0].refreshToken } });
    expect(sim.byods.tokensIssued()).toBe(1);
  });

  test('a refused personal token ends in a typed error that names it, and it is not tried again', async () => {
    await startSim();
    const revoked = sim.oauth.grantRefreshToken(SERVICE_APP.clientId);
    sim.oauth.revoke(revoked);
    sim.oauth.revoke(sim.token);
    const tokens = source({ client: SERVICE_APP, refreshToken: revoked, bootstrap: bootstrap() });

    const failure = await failureOf(apiWith(tokens).list());
    expect(failure).toBeInstanceOf(WebexCredentialsError);
    expect(failure).toMatchObject({ details: { renew: 'personal_token', credentialName: 'BYODS_PERSONAL_TOKEN', status: 401, oauthError: 'invalid_grant' } });
    expect(failure.message).toContain('Renew BYODS_PERSONAL_TOKEN (a personal or integration token with the spark:applications_token scope), or put a new refresh token in WEBEX_REFRESH_TOKEN');
    expect(failure.message).toContain('invalid_grant: The refresh token was revoked.');

    sim.calls.length = 0;
    await expect(tokens.getToken()).rejects.toBeInstanceOf(WebexCredentialsError);
    expect(sim.calls).toEqual([]);
  });

  test('without a personal token the error says to supply a new refresh token', async () => {
    await startSim();
    const revoked = sim.oauth.grantRefreshToken(INTEGRATION.clientId);
    sim.oauth.revoke(revoked);
    const failure = await failureOf(integrationSource(undefined, revoked).getToken());
    expect(failure).toMatchObject({ details: { renew: 'refresh_token', credentialName: 'WEBEX_REFRESH_TOKEN', oauthError: 'invalid_grant', status: 400, trackingId: expect.stringMatching(/^SIM_/) } });
    expect(failure.message).toMatch(/^Webex refused the refresh_token grant \(400 invalid_grant: The refresh token was revoked\.\) \[tracking ID SIM_[^\]]+\]: it has expired, was revoked or was replaced\. Renew it: put a new refresh token in WEBEX_REFRESH_TOKEN\.$/);
  });

  test('a refresh token past its known expiry is not even sent', async () => {
    await startSim({ refreshTokenLifetimeSeconds: 2 * 3600 });
    const tokens = integrationSource();
    await tokens.getToken();
    now += 2 * HOUR;
    const failure = await failureOf(tokens.getToken());
    expect(failure.message).toBe('The refresh token has expired. Renew it: put a new refresh token in WEBEX_REFRESH_TOKEN.');
    expect(sim.oauth.grantsServed()).toBe(1);
  });
});

test('wrong client credentials are a typed error about the client, whatever else is configured', async () => {
  await startSim();
  const tokens = source({ client: { ...INTEGRATION, clientSecret: 'not-the-secret' }, refreshToken: sim.oauth.grantRefreshToken(INTEGRATION.clientId) });
  const failure = await failureOf(tokens.getToken());
  expect(failure).toMatchObject({ details: { renew: 'client', credentialName: 'WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET', oauthError: 'invalid_client', status: 401 } });
  expect(failure.message).toContain('Correct WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET.');
});

test('a fixed access token is used until Webex refuses it; with nothing to renew it that is a typed error naming it', async () => {
  await startSim();
  const tokens = source({ accessToken: sim.token });
  expect(tokens.renewable).toBe(false);
  expect(await apiWith(tokens).list()).toEqual([]);
  sim.oauth.revoke(sim.token);
  const failure = await failureOf(apiWith(tokens).list());
  expect(failure).toMatchObject({ name: 'WebexCredentialsError', details: { renew: 'access_token', credentialName: 'WEBEX_TOKEN' } });
  expect(failure.message).toContain('Webex refused the access token in WEBEX_TOKEN (401)');
});

test('a fixed access token with a client and refresh token is replaced after a 401', async () => {
  await startSim();
  const vault = new SharedMemoryVault();
  const tokens = source({ accessToken: sim.token, client: INTEGRATION, refreshToken: sim.oauth.grantRefreshToken(INTEGRATION.clientId), vault });
  expect(await tokens.getToken()).toBe(sim.token);
  sim.oauth.revoke(sim.token);
  expect(await apiWith(tokens).list()).toEqual([]);
  expect(vault.saved).toHaveLength(1);
});

test('a token endpoint that is down is a transient error, not a credentials one, and the next call renews', async () => {
  await startSim();
  const tokens = integrationSource();
  sim.faults.next({ status: 503, times: 4, pathPrefix: '/access_token' });
  const failure = await failureOf(tokens.getToken());
  expect(failure).toBeInstanceOf(WebexApiError);
  expect(failure).toMatchObject({ status: 503, transient: true });
  await expect(tokens.getToken()).resolves.toEqual(expect.any(String));
});
