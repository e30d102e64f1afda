import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSettings, WEBEX_KEY_SETS } from '../../src/byods/settings';
import { tempDir } from './support/cli';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("Webex's key set by region, US by default, and BYODS_JWKS_URL over both", () => {
  expect(readSettings({}, undefined, dir).keySetUrl).toBe(WEBEX_KEY_SETS.us);
  expect(readSettings({ BYODS_REGION: 'EU' }, undefined, dir).keySetUrl).toBe('https://idbroker-eu.webex.com/idb/oauth2/v2/keys/verificationjwk');
  expect(readSettings({ BYODS_REGION: 'eu', BYODS_JWKS_URL: 'http://127.0.0.1:9/keys' }, undefined, dir).keySetUrl).toBe('http://127.0.0.1:9/keys');
});

test("upstream's nested keys are read and named as they are in the file; a variable wins over the file", () => {
  const path = join(dir, 'token-config.json');
  writeFileSync(path, JSON.stringify({ serviceApp: { appId: 'app', clientId: 'id', clientSecret: 'secret', targetOrgId: 'org' }, tokenManager: { personalAccessToken: 'pat', oauthRefreshToken: 'ignored' } }));
  expect(readSettings({}, undefined, dir).credentials).toEqual({
    accessToken: undefined,
    client: { clientId: 'id', clientSecret: 'secret' },
    refreshToken: undefined,
    bootstrap: { appId: 'app', targetOrgId: 'org', personalToken: 'pat' },
    names: {
      client: `serviceApp.clientId in ${path} and serviceApp.clientSecret in ${path}`,
      refreshToken: 'BYODS_REFRESH_TOKEN',
      accessToken: 'WEBEX_TOKEN',
      personalToken: `tokenManager.personalAccessToken in ${path}`,
    },
  });
  const overridden = readSettings({ BYODS_PERSONAL_TOKEN: 'newer-pat' }, path, '/elsewhere').credentials;
  expect(overridden.bootstrap?.personalToken).toBe('newer-pat');
  expect(overridden.names.personalToken).toBe('BYODS_PERSONAL_TOKEN');
});

test('the flat keys byods read before still work', () => {
  const path = join(dir, 'flat.json');
  writeFileSync(path, JSON.stringify({ appId: 'app', clientId: 'id', clientSecret: 'secret', targetOrgId: 'org', personalAccessToken: 'pat' }));
  expect(readSettings({}, path, dir).credentials).toMatchObject({ client: { clientId: 'id' }, bootstrap: { personalToken: 'pat' }, names: { personalToken: `personalAccessToken in ${path}` } });
});
