import { ConfigError, parseConfig, parseStoreConfig } from '../src/config';
import { validEnv } from './support/env';

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
    expect(text).not.toContain('SECRET');
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

  test('a value still wrapped in quotes (docker --env-file keeps them) is named, once, without its value', () => {
    const env = { ...validEnv(), CUSTOMER_PACKAGES: '"[\\"webex_calling\\"]"', COUNTRY: "'US'", BASIC_PASSWORD: '"hunter22-quoted"' };
    let problems: string[] = [];
    try {
      parseConfig(env);
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      'BASIC_PASSWORD: the value is wrapped in quotes ("…"); remove them — docker --env-file keeps quotes literally',
      'CUSTOMER_PACKAGES: the value is wrapped in quotes ("…"); remove them — docker --env-file keeps quotes literally',
      "COUNTRY: the value is wrapped in quotes ('…'); remove them — docker --env-file keeps quotes literally",
    ]);
    expect(problems.join()).not.toContain('hunter22');
  });
});

describe('TRUST_PROXY', () => {
  test('is loopback by default and takes presets, addresses and ranges', () => {
    expect(parseConfig(validEnv()).trustProxy).toEqual(['loopback']);
    expect(parseConfig({ ...validEnv(), TRUST_PROXY: 'uniquelocal, 10.1.2.3,fd00::/8' }).trustProxy).toEqual(['uniquelocal', '10.1.2.3', 'fd00::/8']);
  });

  test('names what it expects', () => {
    expect(() => parseConfig({ ...validEnv(), TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY: expected a comma-separated list of loopback, linklocal, uniquelocal, IP addresses or CIDR ranges/);
  });
});

describe('parseStoreConfig', () => {
  test('needs nothing but where the journal is, with the same defaults as the connector', () => {
    expect(parseStoreConfig({})).toEqual({ dataDir: parseConfig(validEnv()).dataDir, databaseUrl: undefined });
    expect(parseStoreConfig({ DATA_DIR: '/srv/journal', DATABASE_URL: 'postgres://db.example.com/connector' })).toEqual({
      dataDir: '/srv/journal',
      databaseUrl: 'postgres://db.example.com/connector',
    });
  });

  test('names a bad store setting', () => {
    expect(() => parseStoreConfig({ DATABASE_URL: 'sqlite://x' })).toThrow(/DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/);
  });
});
