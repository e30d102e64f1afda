import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, cliEnv, runByods, tempDir, type CliRun } from './support/cli';
import { SERVICE_APP, startByodsSim, type ByodsSim } from './support/sim';

/**
 * How byods gets its tokens, run as the compiled CLI against the simulator: the service app's refresh
 * token first, a personal token only to bootstrap, the newest tokens in an owner-only file, upstream's
 * token-config.json read as it is.
 */

let sim: ByodsSim;
let dir: string;
const runs: CliRun[] = [];

beforeAll(() => assertBuilt());
beforeEach(async () => {
  sim = await startByodsSim();
  dir = tempDir();
  runs.length = 0;
});
afterEach(async () => {
  try {
    expectNoSecretsAnywhere();
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

const serviceAppEnv = (personalToken = sim.token): Record<string, string> => ({
  BYODS_APP_ID: SERVICE_APP.appId,
  BYODS_CLIENT_ID: SERVICE_APP.clientId,
  BYODS_CLIENT_SECRET: SERVICE_APP.clientSecret,
  BYODS_TARGET_ORG_ID: 'target-org',
  BYODS_PERSONAL_TOKEN: personalToken,
});

async function byods(args: string[], vars: Record<string, string>): Promise<CliRun> {
  const run = await runByods(args, { env: cliEnv({ WEBEX_API_BASE_URL: sim.url, ...vars }), cwd: dir });
  runs.push(run);
  return run;
}

const tokenFile = () => join(dir, 'byods_tokens.json');
const storedTokens = () => JSON.parse(readFileSync(tokenFile(), 'utf8')) as { accessToken: string; refreshToken: string; refreshExpiresAt: string; seed: string };
const callsOf = (from: number) => sim.calls.slice(from).map((call) => `${call.method} ${call.path} ${call.status}`);

/** Every token and secret the simulator handed out or saw stays out of stdout, stderr and the records. */
function expectNoSecretsAnywhere(): void {
  const secrets = new Set([sim.token, SERVICE_APP.clientSecret]);
  for (const call of sim.calls) {
    for (const body of [call.requestBody, call.responseBody] as Array<Record<string, unknown> | undefined>) {
      for (const key of ['access_token', 'refresh_token', 'client_secret', 'clientSecret']) if (typeof body?.[key] === 'string') secrets.add(body[key] as string);
    }
  }
  for (const source of sim.byods.dataSources.values()) secrets.add(source.jwsToken);
  const records = readdirSync(dir).filter((name) => name.startsWith('data_source'));
  const texts = [...runs.flatMap((run) => [run.stdout, run.stderr]), ...records.map((name) => readFileSync(join(dir, name), 'utf8'))];
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

test('from cron: bootstrapped once with the personal token, then renewed with the rotating refresh token after the personal token lapsed', async () => {
  const source = sim.byods.seed({ url: 'https://dap.example.com/cron', tokenExpiresInMs: 10 * 60_000 });
  const cron = ['extend', '--all', '--expiring-within', '60'];

  const first = await byods(cron, serviceAppEnv());
  expect(first.status).toBe(0);
  expect(first.stdout).toMatch(new RegExp(`^extended ${source.id}: token expires `));
  expect(callsOf(0)[0]).toBe(`POST /applications/${SERVICE_APP.appId}/token 200`);
  expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
  const refreshTokens = [storedTokens().refreshToken];

  // The 12-hour personal token lapses; each later run finds its access token expired too.
  sim.oauth.revoke(sim.token);
  for (let run = 0; run < 3; run++) {
    sim.oauth.expireAccessTokens();
    const from = sim.calls.length;
    const later = await byods(cron, serviceAppEnv());
    expect(later.status).toBe(0);
    expect(later.stdout).toContain('0 extended, 0 failed, 1 skipped.');
    expect(callsOf(from)).toEqual(['GET /dataSources/ 401', 'POST /access_token 200', 'GET /dataSources/ 200']);
    expect(sim.calls[from + 1].requestBody).toMatchObject({ grant_type: 'refresh_token', client_id: SERVICE_APP.clientId, refresh_token: refreshTokens.at(-1) });
    refreshTokens.push(storedTokens().refreshToken);
  }
  expect(new Set(refreshTokens).size).toBe(4);
  expect(sim.byods.tokensIssued()).toBe(1);
  expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
  expect(readdirSync(dir).filter((name) => name.includes('byods_tokens'))).toEqual(['byods_tokens.json']);

  // The replaced refresh tokens are refused by Webex: only the file's newest one works.
  for (const old of refreshTokens.slice(0, -1)) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: SERVICE_APP.clientId, client_secret: SERVICE_APP.clientSecret, refresh_token: old });
    const answer = await fetch(`${sim.url}/access_token`, { method: 'POST', body: form });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: string }).error).toBe('invalid_grant');
  }
});

test('a valid access token in the token file is used as it is: no renewal, no personal token', async () => {
  await byods(['schemas'], serviceAppEnv());
  const from = sim.calls.length;
  const run = await byods(['schemas', '--json'], { BYODS_CLIENT_ID: SERVICE_APP.clientId, BYODS_CLIENT_SECRET: SERVICE_APP.clientSecret });
  expect(run.status).toBe(0);
  expect(callsOf(from)).toEqual(['GET /dataSources/schemas 200']);
});

test('BYODS_REFRESH_TOKEN alone is enough, BYODS_TOKEN_FILE puts the file elsewhere, and a new BYODS_REFRESH_TOKEN replaces what it holds', async () => {
  const elsewhere = join(dir, 'secrets', 'tokens.json');
  const supplied = sim.oauth.grantRefreshToken(SERVICE_APP.clientId);
  const vars = { BYODS_CLIENT_ID: SERVICE_APP.clientId, BYODS_CLIENT_SECRET: SERVICE_APP.clientSecret, BYODS_REFRESH_TOKEN: supplied, BYODS_TOKEN_FILE: elsewhere };
  expect((await byods(['list'], vars)).status).toBe(0);
  expect(callsOf(0)).toEqual(['POST /access_token 200', 'GET /dataSources/ 200']);
  expect(statSync(elsewhere).mode & 0o777).toBe(0o600);
  const rotated = JSON.parse(readFileSync(elsewhere, 'utf8')).refreshToken as string;

  // The same (now spent) BYODS_REFRESH_TOKEN again: the file's newer token is the one used.
  sim.oauth.expireAccessTokens();
  expect((await byods(['list'], vars)).status).toBe(0);
  expect(sim.calls.filter((call) => call.path === '/access_token').at(-1)?.requestBody).toMatchObject({ refresh_token: rotated });

  // A different one is a new credential from the owner: it wins over the file.
  const fresh = sim.oauth.grantRefreshToken(SERVICE_APP.clientId);
  expect((await byods(['list'], { ...vars, BYODS_REFRESH_TOKEN: fresh })).status).toBe(0);
  expect(sim.calls.filter((call) => call.path === '/access_token').at(-1)?.requestBody).toMatchObject({ refresh_token: fresh });
});

test('upstream token-config.json is read as it is, from the working directory, and left exactly as it was', async () => {
  const upstream = {
    serviceApp: { appId: SERVICE_APP.appId, clientId: SERVICE_APP.clientId, clientSecret: SERVICE_APP.clientSecret, targetOrgId: 'target-org' },
    tokenManager: { personalAccessToken: sim.token, oauthClientId: 'integration-id', oauthClientSecret: 'integration-secret', oauthRefreshToken: 'integration-refresh' },
  };
  const path = join(dir, 'token-config.json');
  const text = `${JSON.stringify(upstream, null, 4)}\n`;
  writeFileSync(path, text, { mode: 0o640 });
  const before = statSync(path);

  const run = await byods(['list', '--json'], {});
  expect(run.status).toBe(0);
  expect(callsOf(0)).toEqual([`POST /applications/${SERVICE_APP.appId}/token 200`, 'GET /dataSources/ 200']);
  expect(sim.calls[0].requestBody).toEqual({ clientId: SERVICE_APP.clientId, clientSecret: SERVICE_APP.clientSecret, targetOrgId: 'target-org' });

  // A second run renews through the refresh token; the upstream file is never written.
  sim.oauth.expireAccessTokens();
  expect((await byods(['list'], {})).status).toBe(0);
  expect(readFileSync(path, 'utf8')).toBe(text);
  const after = statSync(path);
  expect([after.mtimeMs, after.mode]).toEqual([before.mtimeMs, before.mode]);
  expect(storedTokens().refreshToken).toEqual(expect.any(String));
});

test('a refused refresh token falls back to the personal token once; when that is refused too, the message says which one to renew', async () => {
  mkdirSync(join(dir, 'conf'));
  const configPath = join(dir, 'conf', 'token-config.json');
  writeFileSync(configPath, JSON.stringify({ serviceApp: { ...SERVICE_APP, targetOrgId: 'org' }, tokenManager: { personalAccessToken: sim.token } }));
  expect((await byods(['list', '--token-config', configPath], {})).status).toBe(0);

  sim.oauth.revoke(storedTokens().refreshToken);
  sim.oauth.expireAccessTokens();
  const from = sim.calls.length;
  const fellBack = await byods(['list', '--token-config', configPath], {});
  expect(fellBack.status).toBe(0);
  expect(callsOf(from)).toEqual(['GET /dataSources/ 401', 'POST /access_token 400', `POST /applications/${SERVICE_APP.appId}/token 200`, 'GET /dataSources/ 200']);
  expect(fellBack.stderr).toMatch(/^byods: warning: The Webex refresh token no longer works; obtaining new tokens with the personal token \(Webex refused the refresh_token grant \(400 invalid_grant: The refresh token was revoked\.\) \[tracking ID SIM_[^\]]+\]\)\n$/);

  sim.oauth.revoke(storedTokens().refreshToken);
  sim.oauth.revoke(sim.token);
  sim.oauth.expireAccessTokens();
  const failed = await byods(['list', '--token-config', configPath], {});
  expect(failed.status).toBe(1);
  expect(failed.stderr.split('\n').filter((line) => line.startsWith('byods: ') && !line.startsWith('byods: warning:'))).toEqual([
    expect.stringContaining(`and Webex refused a new service app token for application ${SERVICE_APP.appId} with the personal token in tokenManager.personalAccessToken in ${configPath} (401`),
  ]);
  expect(failed.stderr).toContain(`Renew tokenManager.personalAccessToken in ${configPath} (a personal or integration token with the spark:applications_token scope), or put a new refresh token in BYODS_REFRESH_TOKEN`);
});

test('configuration problems exit 2 and name what is missing, before any call', async () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{}, 'byods: No Webex token. Set WEBEX_TOKEN'],
    [{ BYODS_CLIENT_ID: 'x' }, 'byods: Incomplete service app settings: BYODS_CLIENT_ID is set but BYODS_CLIENT_SECRET (serviceApp.clientSecret) is missing.'],
    [{ BYODS_REFRESH_TOKEN: 'r' }, 'byods: Incomplete service app settings: BYODS_REFRESH_TOKEN is set but BYODS_CLIENT_ID (serviceApp.clientId), BYODS_CLIENT_SECRET (serviceApp.clientSecret) are missing.'],
    [
      { BYODS_PERSONAL_TOKEN: 'p', BYODS_CLIENT_ID: 'c', BYODS_CLIENT_SECRET: 's' },
      'byods: Incomplete service app settings: BYODS_PERSONAL_TOKEN is set but BYODS_APP_ID (serviceApp.appId), BYODS_TARGET_ORG_ID (serviceApp.targetOrgId) are missing.',
    ],
    [{ BYODS_REGION: 'asia', WEBEX_TOKEN: 't' }, 'byods: Invalid BYODS_REGION in the environment'],
  ];
  for (const [vars, message] of cases) {
    const run = await byods(['list'], vars);
    expect({ vars, status: run.status }).toEqual({ vars, status: 2 });
    expect(run.stderr.slice(0, message.length)).toBe(message);
  }
  writeFileSync(join(dir, 'token-config.json'), '{ not json');
  const broken = await byods(['list'], {});
  expect(broken.status).toBe(2);
  expect(broken.stderr).toBe(`byods: Cannot read the token config ${join(dir, 'token-config.json')}: it is not valid JSON.\n`);
  expect(sim.calls).toEqual([]);
});

test('WEBEX_TOKEN alone is used until Webex refuses it; then the message names it and the scopes', async () => {
  const ok = await byods(['schemas'], { WEBEX_TOKEN: sim.token });
  expect(ok.status).toBe(0);
  const refused = await byods(['list'], { WEBEX_TOKEN: 'stale-token' });
  expect(refused.status).toBe(1);
  expect(refused.stderr).toBe(
    'byods: Webex refused the access token in WEBEX_TOKEN (401): it has expired or was revoked. Renew WEBEX_TOKEN, or give BYODS_CLIENT_ID and BYODS_CLIENT_SECRET and a refresh token (BYODS_REFRESH_TOKEN) so it is renewed automatically. ' +
      'byods needs a service app token with the scopes spark-admin:datasource_read and spark-admin:datasource_write.\n',
  );
});

test('WEBEX_TOKEN and WEBEX_API_BASE_URL are read from .env in the working directory', async () => {
  writeFileSync(join(dir, '.env'), `WEBEX_TOKEN=${sim.token}\nWEBEX_API_BASE_URL=${sim.url}\n`);
  const run = await runByods(['schemas'], { env: cliEnv({}), cwd: dir });
  runs.push(run);
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('webService');
});

test('a token file readable by others is made owner-only again; a damaged one is reported', async () => {
  await byods(['schemas'], serviceAppEnv());
  chmodSync(tokenFile(), 0o644);
  expect((await byods(['schemas'], serviceAppEnv())).status).toBe(0);
  expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);

  writeFileSync(tokenFile(), 'garbage');
  const damaged = await byods(['schemas'], serviceAppEnv());
  expect(damaged.status).toBe(1);
  expect(damaged.stderr).toBe(`byods: The token file ${tokenFile()} is not one byods wrote; delete it and byods obtains new tokens.\n`);
});
