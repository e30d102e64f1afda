import { ConfigError, parseConfig } from '../src/config';
import { SECRETS, validEnv } from './support/env';

describe('parseConfig', () => {
  test('the reference demo variables are enough, with the documented defaults', () => {
    const config = parseConfig(validEnv());
    expect(config).toMatchObject({
      port: 5002,
      marketplaceBaseUrl: 'https://market.example.com',
      notificationAuth: { mode: 'basic', username: 'appdirect' },
      appDirectAuth: { mode: 'oauth2', clientId: 'connector-client' },
      webex: { baseUrl: 'https://webexapis.com/v1', pollIntervalMs: 10_000 },
      jobs: { syncBudgetMs: 5000 },
      provisioning: { customerPackages: ['webex_calling', 'webex_meetings'], editionPackages: {}, defaultAddress: { country: 'US' }, deleteCustomerWithLastSubscriber: false },
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  test('one message names every bad variable and what it expects', () => {
    const env: NodeJS.ProcessEnv = { ...validEnv(), BASE_URL_MARKETPLACE: 'not a url', CUSTOMER_PACKAGES: '[oops', PORT: 'abc', COUNTRY: 'USA' };
    delete env.WEBEX_TOKEN;
    delete env.BASIC_PASSWORD;
    let error: ConfigError | undefined;
    try {
      parseConfig(env);
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.message;
    for (const name of ['BASE_URL_MARKETPLACE', 'CUSTOMER_PACKAGES', 'PORT', 'COUNTRY', 'WEBEX_TOKEN', 'BASIC_PASSWORD']) expect(text).toContain(`${name}:`);
    expect(text).toContain('http(s) URL');
    expect(text).toContain('JSON');
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
  });

  test('each notification mode asks for its own credentials', () => {
    expect(() => parseConfig({ ...validEnv(), NOTIFICATION_AUTH: 'oauth2' })).toThrow(/NOTIFICATION_OAUTH_CLIENT_ID: required when NOTIFICATION_AUTH is oauth2/);
    expect(() => parseConfig({ ...validEnv(), NOTIFICATION_AUTH: 'oauth1' })).toThrow(/OAUTH1_CONSUMER_KEY/);
    expect(parseConfig({ ...validEnv(), NOTIFICATION_AUTH: 'oauth1', OAUTH1_CONSUMER_KEY: 'k', OAUTH1_CONSUMER_SECRET: 's' }).notificationAuth).toMatchObject({ mode: 'oauth1', consumerKey: 'k' });
  });

  test('edition mapping is parsed from JSON', () => {
    expect(parseConfig({ ...validEnv(), EDITION_PACKAGES: '{"BASIC":"webex_meetings"}' }).provisioning.editionPackages).toEqual({ BASIC: 'webex_meetings' });
    expect(() => parseConfig({ ...validEnv(), EDITION_PACKAGES: '["x"]' })).toThrow(/EDITION_PACKAGES: expected a JSON object/);
  });
});
