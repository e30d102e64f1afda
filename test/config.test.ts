import { ConfigError, parseConfig, parseStoreConfig } from '../src/config';
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

  test('the lifecycle settings have their documented defaults', () => {
    const config = parseConfig(validEnv());
    expect(config.provisioning).toMatchObject({ addonPackages: {}, countryAddresses: {}, suspendedAccountPolicy: 'keep' });
    expect(config.consent).toEqual({ resendCount: 3, resendIntervalMs: 24 * 3600_000 });
  });

  test('add-on packages, country addresses, the suspension policy and the consent settings are read and checked', () => {
    const config = parseConfig({
      ...validEnv(),
      ADDON_PACKAGES: '{"AC":"attendant_console","PLAN":{"package":"cisco_calling_plan","level":"customer"}}',
      COUNTRY_ADDRESSES: '{"ca":{"address":"100 King St W","city":"Toronto","state":"ON","zip":"M5X 1A9","timezone":"America/Toronto"}}',
      SUSPENDED_ACCOUNT_POLICY: 'remove',
      CONSENT_RESEND_COUNT: '0',
      CONSENT_RESEND_INTERVAL_MS: '3600000',
    });
    expect(config.provisioning.addonPackages).toEqual({ AC: { package: 'attendant_console' }, PLAN: { package: 'cisco_calling_plan', level: 'customer' } });
    expect(config.provisioning.countryAddresses).toEqual({ CA: { addressLine1: '100 King St W', city: 'Toronto', stateOrProvince: 'ON', zipOrPostalCode: 'M5X 1A9', timezone: 'America/Toronto' } });
    expect(config.provisioning.suspendedAccountPolicy).toBe('remove');
    expect(config.consent).toEqual({ resendCount: 0, resendIntervalMs: 3_600_000 });

    const bad = {
      ...validEnv(),
      ADDON_PACKAGES: '{"AC":{"package":"attendant_console","level":"org"}}',
      COUNTRY_ADDRESSES: '{"Canada":{"address":"x","city":"y","timezone":"z"}}',
      SUSPENDED_ACCOUNT_POLICY: 'delete',
      CONSENT_RESEND_INTERVAL_MS: '5',
    };
    expect(() => parseConfig(bad)).toThrow(/ADDON_PACKAGES: expected .*level[\s\S]*COUNTRY_ADDRESSES: expected[\s\S]*SUSPENDED_ACCOUNT_POLICY: expected keep or remove[\s\S]*CONSENT_RESEND_INTERVAL_MS: expected/);
  });

  const problemsOf = (env: NodeJS.ProcessEnv): string => {
    try {
      parseConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    throw new Error('expected a ConfigError');
  };

  test('a notification client secret shorter than 32 characters stops the start, without echoing it', () => {
    const env = { ...validEnv(), NOTIFICATION_AUTH: 'oauth2', NOTIFICATION_OAUTH_CLIENT_ID: 'appdirect', NOTIFICATION_OAUTH_CLIENT_SECRET: 'short-SECRET-19chars' };
    const message = problemsOf(env);
    expect(message).toContain('NOTIFICATION_OAUTH_CLIENT_SECRET: expected at least 32 characters');
    expect(message).not.toContain('short-SECRET');
    expect(parseConfig({ ...env, NOTIFICATION_OAUTH_CLIENT_SECRET: 'x'.repeat(32) }).notificationAuth).toMatchObject({ mode: 'oauth2' });
  });

  test('a Basic password shorter than 32 characters is a warning, not an error (AppDirect\'s form sets it)', () => {
    const config = parseConfig({ ...validEnv(), BASIC_PASSWORD: 'only-20-characters!!' });
    expect(config.warnings).toEqual([expect.stringContaining('BASIC_PASSWORD is shorter than 32 characters')]);
    expect(config.warnings.join()).not.toContain('only-20');
    expect(parseConfig(validEnv()).warnings).toEqual([]);
  });

  test('TRUST_PROXY: nobody by default; a hop count or proxy addresses; never "true"', () => {
    expect(parseConfig(validEnv()).trustProxy).toBe(false);
    expect(parseConfig({ ...validEnv(), TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(parseConfig({ ...validEnv(), TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseConfig({ ...validEnv(), TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8, 192.0.2.7' }).trustProxy).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
    expect(problemsOf({ ...validEnv(), TRUST_PROXY: 'true' })).toContain('TRUST_PROXY: true would believe any X-Forwarded-For');
    expect(problemsOf({ ...validEnv(), TRUST_PROXY: 'loopback, 10.0.0.0/33, proxy.example' })).toContain('not understood: 10.0.0.0/33, proxy.example');
  });

  test('METRICS_PORT and METRICS_TOKEN are optional; a short token is refused', () => {
    expect(parseConfig(validEnv()).metrics).toEqual({ port: undefined, token: undefined });
    expect(parseConfig({ ...validEnv(), METRICS_PORT: '9464', METRICS_TOKEN: 'm'.repeat(32) }).metrics).toEqual({ port: 9464, token: 'm'.repeat(32) });
    expect(problemsOf({ ...validEnv(), METRICS_PORT: '70000' })).toContain('METRICS_PORT: expected');
    expect(problemsOf({ ...validEnv(), METRICS_TOKEN: 'short' })).toContain('METRICS_TOKEN: expected at least 16 characters');
  });

  test('reconciliation is by hand unless scheduled; it reports unless told to fix; retention keeps 90 days unless told otherwise', () => {
    expect(parseConfig(validEnv())).toMatchObject({ reconcile: { everyMinutes: undefined, fix: false, callsPerSecond: 2, stuckAfterMs: 3600_000 }, retention: { days: 90 } });
    const set = parseConfig({ ...validEnv(), RECONCILE_EVERY_MINUTES: '30', RECONCILE_FIX: 'true', RECONCILE_CALLS_PER_SECOND: '0.5', RECONCILE_STUCK_AFTER_MINUTES: '15', JOURNAL_RETENTION_DAYS: '0' });
    expect(set).toMatchObject({ reconcile: { everyMinutes: 30, fix: true, callsPerSecond: 0.5, stuckAfterMs: 15 * 60_000 }, retention: undefined });
    expect(() => parseConfig({ ...validEnv(), RECONCILE_CALLS_PER_SECOND: '0', RECONCILE_EVERY_MINUTES: '-1', JOURNAL_RETENTION_DAYS: 'a year' })).toThrow(
      /RECONCILE_EVERY_MINUTES: expected how often[^\n]*\n.*RECONCILE_CALLS_PER_SECOND: expected the Webex calls a reconciliation may make per second, a number above 0 and at most 100 \(got "0"\)\n.*JOURNAL_RETENTION_DAYS: expected how many days/,
    );
  });

  test('APPDIRECT_MAX_EVENT_BYTES is 1 MiB unless set', () => {
    expect(parseConfig(validEnv()).appDirectMaxEventBytes).toBe(1024 * 1024);
    expect(parseConfig({ ...validEnv(), APPDIRECT_MAX_EVENT_BYTES: '65536' }).appDirectMaxEventBytes).toBe(65536);
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
