import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { AppDirectSim, startAppDirectSim } from '../../sim/appdirect';
import { orderEvent } from '../../sim/appdirect/events';
import { startWebexSim, WebexSim } from '../../sim/webex';
import { openStore } from '../../src/store';
import { storeTokenVault } from '../../src/jobs/webexCredentials';
import { WebexTokenSource } from '../../src/webex/tokenSource';
import { tokenSeed } from '../../src/webex/tokenVault';
import { describeWithPostgres, freshSchema } from '../store/testDatabase';
import { spawnConnector } from '../support/connectorProcess';
import { SECRETS, validEnv } from '../support/env';
import { assertNoSecrets, eventually } from '../support/harness';
import { capturingLogger } from '../support/logCapture';

const INTEGRATION = { clientId: 'connector-integration', clientSecret: 'integration-SECRET-7e0d31' };

describe('renewed Webex tokens across a crash', () => {
  let webex: WebexSim;
  let appDirect: AppDirectSim;
  let dataDir: string;

  beforeAll(async () => {
    webex = await startWebexSim({ token: SECRETS.webexToken, customerProvisioningMs: 200, subscriberProvisioningMs: 50, oauth: { clients: [INTEGRATION] } });
    appDirect = await startAppDirectSim({
      inbound: { clientId: 'connector-client', clientSecret: SECRETS.oauthClientSecret },
      outbound: { mode: 'basic', username: 'appdirect', password: SECRETS.basicPassword },
    });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'connector-credentials-'));
  });
  afterAll(async () => {
    await Promise.all([webex.close(), appDirect.close()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** What the operator's .env says, the same at both starts: the refresh token first authorised. */
  const envWith = (refreshToken: string): NodeJS.ProcessEnv => ({
    ...validEnv(),
    WEBEX_TOKEN: '',
    WEBEX_CLIENT_ID: INTEGRATION.clientId,
    WEBEX_CLIENT_SECRET: INTEGRATION.clientSecret,
    WEBEX_REFRESH_TOKEN: refreshToken,
    BASE_URL_MARKETPLACE: appDirect.url,
    WEBEX_API_BASE_URL: webex.url,
    DATA_DIR: dataDir,
    PORT: '0',
    WEBEX_POLL_INTERVAL_MS: '50',
    EDITION_PACKAGES: '{"BASIC":"webex_meetings"}',
  });

  const refreshWith = (refreshToken: string) =>
    axios.post(`${webex.url}/access_token`, new URLSearchParams({ grant_type: 'refresh_token', client_id: INTEGRATION.clientId, client_secret: INTEGRATION.clientSecret, refresh_token: refreshToken }).toString(), {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      validateStatus: () => true,
    });

  test('a rotated refresh token survives SIGKILL: the restart renews with the newest one, not the spent one in .env', async () => {
    const original = webex.oauth.grantRefreshToken(INTEGRATION.clientId);
    const env = envWith(original);
    const first = spawnConnector(env);
    await first.url;
    // At start the connector renews (its check job asks for a token): Webex rotates the refresh token.
    await eventually(() => expect(webex.oauth.grantsServed()).toBe(1));
    await eventually(() => expect(first.lines.some((l) => l.includes('Webex access token renewed'))).toBe(true));
    await first.kill('SIGKILL');
    expect((await refreshWith(original)).data).toMatchObject({ error: 'invalid_grant' });

    // The access token it had is gone too: the restart must renew, and only the stored refresh token works.
    webex.oauth.expireAccessTokens();
    const second = spawnConnector(env);
    try {
      const company = randomUUID();
      const { token } = appDirect.addEvent(orderEvent({ companyUuid: company, companyName: 'Rotated Ltd', email: `${company.slice(0, 8)}@buyer.example.com`, firstName: 'R', lastName: 'R', editionCode: 'BASIC' }));
      const answer = await appDirect.notify(await second.url, token);
      const result = answer.status === 200 ? answer.body : await appDirect.waitForResult(token, 20_000);
      expect(result).toMatchObject({ success: true, accountIdentifier: company });
      expect(webex.oauth.grantsServed()).toBe(2);
    } finally {
      await second.kill('SIGTERM');
    }
    assertNoSecrets([...first.lines, ...second.lines], webex.oauth.everyToken());
  });

  test('a different WEBEX_REFRESH_TOKEN in .env is a new credential: it replaces what the store kept', async () => {
    const replacement = webex.oauth.grantRefreshToken(INTEGRATION.clientId);
    const grantsBefore = webex.oauth.grantsServed();
    const third = spawnConnector(envWith(replacement));
    try {
      await third.url;
      await eventually(() => expect(webex.oauth.grantsServed()).toBe(grantsBefore + 1));
      // It renewed with the operator's new value: that one is now spent.
      expect((await refreshWith(replacement)).data).toMatchObject({ error: 'invalid_grant' });
    } finally {
      await third.kill('SIGTERM');
    }
  });
});

describeWithPostgres('two instances on one PostgreSQL store', () => {
  test('renew once when the access token is due, and both use the result', async () => {
    const webex = await startWebexSim({ token: SECRETS.webexToken, oauth: { clients: [INTEGRATION] } });
    const schema = await freshSchema();
    const stores = await Promise.all([1, 2].map(() => openStore({ dataDir: os.tmpdir(), databaseUrl: schema.url })));
    try {
      const refreshToken = webex.oauth.grantRefreshToken(INTEGRATION.clientId);
      const seed = tokenSeed(INTEGRATION.clientId, refreshToken);
      const { logger, lines } = capturingLogger();
      const sources = stores.map(
        (store) =>
          new WebexTokenSource({
            baseUrl: webex.url,
            logger,
            client: INTEGRATION,
            refreshToken,
            vault: storeTokenVault(store, seed, Date.now),
            names: { client: 'WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET', refreshToken: 'WEBEX_REFRESH_TOKEN' },
          }),
      );
      const tokens = await Promise.all(sources.flatMap((source) => [source.getToken(), source.getToken()]));
      expect(webex.oauth.grantsServed()).toBe(1);
      expect(new Set(tokens).size).toBe(1);
      assertNoSecrets(lines, webex.oauth.everyToken());
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await schema.drop();
      await webex.close();
    }
  });
});
