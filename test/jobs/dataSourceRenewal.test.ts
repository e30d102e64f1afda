import { parseConfig } from '../../src/config';
import { createDataSourcesSim } from '../../sim/webex/dataSources';
import { SECRETS } from '../support/env';
import { eventually, Harness, startHarness } from '../support/harness';

const SERVICE_APP = { appId: 'renewal-app', clientId: 'renewal-client', clientSecret: 'renewal-secret' };

describe('the server renews expiring BYODS data-source tokens on a schedule', () => {
  const byods = createDataSourcesSim({ serviceApps: [SERVICE_APP] });
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
        BYODS_APP_ID: SERVICE_APP.appId,
        BYODS_CLIENT_ID: SERVICE_APP.clientId,
        BYODS_CLIENT_SECRET: SERVICE_APP.clientSecret,
        BYODS_TARGET_ORG_ID: 'renewal-org',
        // The simulator accepts one bearer token; the personal token that asks for service app tokens is it.
        BYODS_PERSONAL_TOKEN: SECRETS.webexToken,
      },
    });
  });
  afterAll(() => h.close());

  test('a token close to expiry gets a new 24 h token and a new nonce; one with time left is untouched', async () => {
    const nonceBefore = soon.nonce;
    await eventually(() => expect(byods.dataSources.get(soon.id)!.tokenExpiresAt).toBeGreaterThan(Date.now() + 23 * 3600_000));
    expect(byods.dataSources.get(soon.id)!.nonce).not.toBe(nonceBefore);
    expect(byods.dataSources.get(later.id)!.tokenExpiresAt).toBe(laterExpiry);
    expect(byods.tokensIssued()).toBeGreaterThan(0);
    // The run's summary line comes after its last renewal: wait for it rather than read the log too early.
    const summary = await eventually(() => {
      const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'BYODS token renewal run finished');
      if (!line) throw new Error('the renewal run has not finished yet');
      return line;
    });
    expect(summary).toMatchObject({ renewed: 1, failed: 0, skipped: 1 });
  });

  test('turning renewal on without the service app names every missing setting', () => {
    expect(() => parseConfig({ ...h.env, BYODS_APP_ID: '', BYODS_PERSONAL_TOKEN: '' })).toThrow(/BYODS_APP_ID: required.*\n.*BYODS_PERSONAL_TOKEN: required/);
  });
});
