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
});
