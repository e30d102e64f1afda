/** Credentials the tests use; distinctive so that a search of every log line for them means something. */
export const SECRETS = {
  webexToken: 'wbx-SECRET-token-7f3a',
  basicPassword: 'basic-SECRET-pass-91c2-6b0e4f7a2d8c',
  oauthClientSecret: 'oauth-SECRET-client-5d8e',
};

/** A complete environment in the reference demo's variable names. */
export const validEnv = (): NodeJS.ProcessEnv => ({
  BASE_URL_MARKETPLACE: 'https://market.example.com/',
  BASIC_USERNAME: 'appdirect',
  BASIC_PASSWORD: SECRETS.basicPassword,
  OAUTH_CLIENT_ID: 'connector-client',
  OAUTH_CLIENT_SECRET: SECRETS.oauthClientSecret,
  WEBEX_TOKEN: SECRETS.webexToken,
  PROVISIONING_ID: 'prov-template-1',
  CUSTOMER_PACKAGES: '["webex_calling","webex_meetings"]',
  ADDRESS: '771 Alder Drive',
  ZIP_CODE: '95035',
  CITY: 'Milpitas',
  COUNTRY: 'us',
  STATE: 'CA',
  TIMEZONE: 'America/Los_Angeles',
});
