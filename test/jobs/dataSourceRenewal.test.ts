import { statSync } from 'node:fs';
import { join } from 'node:path';
import axios from 'axios';
import { parseConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { runDataSourceRenewal, serviceAppDataSources } from '../../src/jobs/dataSourceRenewal';
import { createDataSourcesSim } from '../../sim/webex/dataSources';
import { SERVICE_APP, startByodsSim, type ByodsSim } from '../byods/support/sim';
import { SECRETS } from '../support/env';
import { eventually, Harness, startHarness } from '../support/harness';

const RENEWAL_APP = { appId: 'renewal-app', clientId: 'renewal-client', clientSecret: 'renewal-secret' };

/** The value of an unlabelled or labelled sample in Prometheus text, or undefined when absent. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('the server renews expiring BYODS data-source tokens on a schedule', () => {
  const byods = createDataSourcesSim({ serviceApps: [RENEWAL_APP] });
  let h: Harness;
  const soon = byods.seed({ url: 'https://partner.example.com/soon', tokenExpiresInMs: 10 * 60_000 });
  const later = byods.seed({ url: 'https://partner.example.com/later', tokenExpiresInMs: 20 * 3600_000 });
  const laterExpiry = later.tokenExpiresAt;

  beforeAll(async () => {
    h = await startHarness({
      extraRoutes: [byods.routes],
      env: {
        BYODS_RENEW_EVERY_MINUTES: '60',
        BYODS_RENEW_WITHIN_MINUTES: '120',
        BYODS_APP_ID: RENEWAL_APP.appId,
        BYODS_CLIENT_ID: RENEWAL_APP.clientId,
        BYODS_CLIENT_SECRET: RENEWAL_APP.clientSecret,
        BYODS_TARGET_ORG_ID: 'renewal-org',
        // The simulator's static token serves as the personal token that bootstraps the service app.
        BYODS_PERSONAL_TOKEN: SECRETS.webexToken,
      },
    });
  });
  afterAll(() => h.close());

  test('a token close to expiry gets a new 24 h token and a new nonce; one with time left is untouched; the metrics say so', async () => {
    const nonceBefore = soon.nonce;
    await eventually(() => expect(h.logs.some((line) => line.includes('BYODS token renewal run finished'))).toBe(true));
    expect(byods.dataSources.get(soon.id)!.tokenExpiresAt).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(byods.dataSources.get(soon.id)!.nonce).not.toBe(nonceBefore);
    expect(byods.dataSources.get(later.id)!.tokenExpiresAt).toBe(laterExpiry);
    expect(byods.tokensIssued()).toBe(1);
    // The service app's newest tokens are kept owner-only in DATA_DIR, so a restart renews with them.
    expect(statSync(join(h.dataDir, 'byods_tokens.json')).mode & 0o777).toBe(0o600);
    const summary = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'BYODS token renewal run finished');
    expect(summary).toMatchObject({ renewed: 1, failed: 0, skipped: 1, earliestTokenExpiry: new Date(laterExpiry).toISOString() });

    const { data: text } = await axios.get<string>(`${h.connector.url}/metrics`, { responseType: 'text' });
    expect(sample(text, 'connector_byods_renewals_total', '{outcome="renewed"}')).toBe(1);
    expect(sample(text, 'connector_byods_renewals_total', '{outcome="failed"}')).toBe(0);
    expect(sample(text, 'connector_byods_renewals_total', '{outcome="list_failed"}')).toBe(0);
    const secondsLeft = sample(text, 'connector_byods_earliest_token_expiry_seconds');
    expect(secondsLeft).toBeGreaterThan(19 * 3600);
    expect(secondsLeft).toBeLessThanOrEqual(20 * 3600);
  });

  test('turning renewal on without the service app names every missing setting', () => {
    const without = { ...h.env, BYODS_APP_ID: '', BYODS_PERSONAL_TOKEN: '' };
    expect(() => parseConfig(without)).toThrow(/BYODS_APP_ID: required.*no BYODS_REFRESH_TOKEN.*\n.*BYODS_PERSONAL_TOKEN: required/);
    expect(() => parseConfig({ ...without, BYODS_CLIENT_SECRET: '' })).toThrow(/BYODS_CLIENT_SECRET: required when BYODS_RENEW_EVERY_MINUTES is set/);
    // A refresh token of the service app is enough: no personal token needed.
    expect(parseConfig({ ...without, BYODS_REFRESH_TOKEN: 'refresh' }).dataSourceRenewal).toMatchObject({ refreshToken: 'refresh', bootstrap: undefined, client: { clientId: RENEWAL_APP.clientId } });
  });
});

describe('one renewal run, as a job calls it', () => {
  let sim: ByodsSim;
  let logText: string;
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void (logText += line) } });
  beforeEach(async () => {
    sim = await startByodsSim();
    logText = '';
  });
  afterEach(() => sim.close());

  test('renews with the service app refresh token though the personal token has lapsed, and reports each data source', async () => {
    const due = sim.byods.seed({ url: 'https://dap.example.com/due', tokenExpiresInMs: 5 * 60_000 });
    const fine = sim.byods.seed({ url: 'https://dap.example.com/fine', tokenExpiresInMs: 10 * 3600_000 });
    const refreshToken = sim.oauth.grantRefreshToken(SERVICE_APP.clientId);
    sim.oauth.revoke(sim.token); // the personal token lapsed
    const { api } = serviceAppDataSources(
      { everyMinutes: 30, withinMinutes: 60, lifetimeMinutes: 1440, client: SERVICE_APP, refreshToken, bootstrap: { appId: SERVICE_APP.appId, targetOrgId: 'org', personalToken: sim.token } },
      { baseUrl: sim.url, timeoutMs: 5000, logger },
    );
    const runs: unknown[] = [];
    const observer = { runFinished: (run: unknown) => void runs.push(run), listFailed: () => void runs.push('list failed') };

    const report = await runDataSourceRenewal({ withinMinutes: 60, lifetimeMinutes: 1440 }, { api, logger, now: Date.now, observer });
    expect(report.outcomes.map(({ id, outcome }) => [id, outcome])).toEqual([
      [due.id, 'renewed'],
      [fine.id, 'skipped'],
    ]);
    expect(runs).toEqual([{ renewed: 1, failed: 0, earliestExpiry: fine.tokenExpiresAt }]);
    expect(sim.calls.map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([
      'POST /access_token 200',
      'GET /dataSources/ 200',
      `GET /dataSources/${due.id} 200`,
      `PUT /dataSources/${due.id} 200`,
    ]);
    expect(sim.byods.tokensIssued()).toBe(0);
    expect(logText).not.toContain(refreshToken);
  });

  test('a run that cannot list is counted and thrown, naming the credential to renew', async () => {
    sim.oauth.revoke(sim.token);
    const { api } = serviceAppDataSources(
      { everyMinutes: 30, withinMinutes: 60, lifetimeMinutes: 1440, client: SERVICE_APP, bootstrap: { appId: SERVICE_APP.appId, targetOrgId: 'org', personalToken: sim.token } },
      { baseUrl: sim.url, timeoutMs: 5000, logger },
    );
    const runs: unknown[] = [];
    const observer = { runFinished: (run: unknown) => void runs.push(run), listFailed: () => void runs.push('list failed') };
    await expect(runDataSourceRenewal({ withinMinutes: 60, lifetimeMinutes: 1440 }, { api, logger, now: Date.now, observer })).rejects.toMatchObject({
      name: 'WebexCredentialsError',
      details: { renew: 'personal_token', credentialName: 'BYODS_PERSONAL_TOKEN' },
    });
    expect(runs).toEqual(['list failed']);
    expect(logText).toContain('Renew BYODS_PERSONAL_TOKEN');
  });
});
