import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { NotificationAuthConfig } from './appdirect/notificationAuth';
import type { InboundAuthConfig } from './appdirect/client';
import type { ServiceAppCredentials } from './webex/applicationTokens';

/**
 * Configuration is read once, here, from the environment (which dotenv has filled from `.env`).
 * Every problem is collected so the operator fixes them all in one go.
 */

const required = (what: string) => z.string({ error: `required: ${what}` }).trim().min(1, { error: `required: ${what}` });
const optionalText = z.string().trim().optional().transform((v) => (v ? v : undefined));

const httpUrl = (what: string) =>
  required(what).refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, { error: `expected ${what}, an http(s) URL` });

const intIn = (what: string, min: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) {
        ctx.addIssue({ code: 'custom', message: `expected ${what}, a whole number ≥ ${min} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const jsonOf = <T>(what: string, schema: z.ZodType<T>, fallback?: T) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') {
        if (fallback !== undefined) return fallback;
        ctx.addIssue({ code: 'custom', message: `required: ${what}` });
        return z.NEVER;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: `expected ${what} as JSON (could not parse it)` });
        return z.NEVER;
      }
      const checked = schema.safeParse(parsed);
      if (!checked.success) {
        ctx.addIssue({ code: 'custom', message: `expected ${what}` });
        return z.NEVER;
      }
      return checked.data;
    });

// The URL holds the database password, so problems name the variable, never its value.
const isPostgresUrl = (v: string) => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
};

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { error: 'expected true or false' })
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes'].includes(v)));

/**
 * Which peers may tell the client's address in X-Forwarded-For (Express's "trust proxy"): the failed-sign-in
 * throttles count per client, and behind a proxy that is not on loopback every caller would otherwise be the proxy.
 */
const PROXY_PRESETS = ['loopback', 'linklocal', 'uniquelocal'];
const trustedProxies = z
  .string()
  .trim()
  .default('loopback')
  .transform((v) => v.split(',').map((item) => item.trim()).filter(Boolean))
  .refine((items) => items.length > 0 && items.every((item) => PROXY_PRESETS.includes(item) || isIP(item.split('/')[0]) !== 0), {
    error: `expected a comma-separated list of ${PROXY_PRESETS.join(', ')}, IP addresses or CIDR ranges`,
  });

/** Where the journal is: all that the events CLI needs, and part of the connector's configuration. */
const storeEnvSchema = z.object({
  DATA_DIR: z.string().trim().default('./data'),
  DATABASE_URL: optionalText.refine((v) => v === undefined || isPostgresUrl(v), { error: 'expected a postgres:// or postgresql:// URL' }),
});

const envSchema = storeEnvSchema
  .extend({
    BASE_URL_MARKETPLACE: httpUrl('the AppDirect marketplace base URL'),
    NOTIFICATION_AUTH: z.enum(['basic', 'oauth1', 'oauth2'], { error: 'expected basic, oauth1 or oauth2' }).default('basic'),
    BASIC_USERNAME: optionalText,
    BASIC_PASSWORD: optionalText,
    NOTIFICATION_OAUTH_CLIENT_ID: optionalText,
    NOTIFICATION_OAUTH_CLIENT_SECRET: optionalText,
    OAUTH1_CONSUMER_KEY: optionalText,
    OAUTH1_CONSUMER_SECRET: optionalText,
    PUBLIC_BASE_URL: optionalText,
    APPDIRECT_FETCH_AUTH: z.enum(['oauth2', 'oauth1'], { error: 'expected oauth2 or oauth1' }).default('oauth2'),
    OAUTH_CLIENT_ID: optionalText,
    OAUTH_CLIENT_SECRET: optionalText,
    WEBEX_TOKEN: required('a Webex partner admin token with the wholesale scopes'),
    WEBEX_API_BASE_URL: httpUrl('the Webex API base URL').default('https://webexapis.com/v1'),
    PROVISIONING_ID: required('the Provisioning ID of the Partner Hub customer template'),
    CUSTOMER_PACKAGES: jsonOf('a JSON array of Webex customer package names, e.g. ["webex_calling","webex_meetings"]', z.array(z.string().min(1)).min(1)),
    EDITION_PACKAGES: jsonOf('a JSON object mapping AppDirect edition codes to Webex packages, e.g. {"BASIC":"webex_meetings"}', z.record(z.string(), z.string().min(1)), {}),
    ADDRESS: required('the default street address for new customers'),
    ZIP_CODE: required('the default ZIP or postal code'),
    CITY: required('the default city'),
    STATE: required('the default state or province'),
    COUNTRY: required('the default country').pipe(z.string().regex(/^[A-Za-z]{2}$/, { error: 'expected a two-letter ISO country code such as US' })),
    TIMEZONE: required('the default time zone, e.g. America/Los_Angeles'),
    CUSTOMER_LANGUAGE: z.string().trim().default('en'),
    CUSTOMER_NAME_SUFFIX: z.string().default(''),
    DELETE_CUSTOMER_WITH_LAST_SUBSCRIBER: bool(false),
    PORT: intIn('the HTTP port', 0, 5002),
    TRUST_PROXY: trustedProxies,
    WEBEX_POLL_INTERVAL_MS: intIn('how often to look at a customer or subscriber still provisioning, in ms', 10, 10_000),
    SYNC_BUDGET_MS: intIn('how long a notification may wait for its result before answering 202, in ms', 0, 5_000),
    NOTICE_BUDGET_MS: intIn('how long a SUBSCRIPTION_NOTICE may wait for its result, in ms', 0, 20_000),
    WEBEX_TIMEOUT_MS: intIn('the Webex request timeout, in ms', 100, 20_000),
    APPDIRECT_TIMEOUT_MS: intIn('the AppDirect request timeout, in ms', 100, 10_000),
    JOB_CONCURRENCY: intIn('how many events are worked on at once', 1, 4),
    JOB_MAX_ATTEMPTS: intIn('how many failed attempts an event gets before it fails', 1, 12),
    JOB_LEASE_MS: intIn('how long a claim on an event lasts before another instance may take it over, in ms', 1000, 10 * 60_000),
    RETRY_BASE_MS: intIn('the first retry delay, in ms', 1, 2_000),
    RETRY_MAX_MS: intIn('the longest retry delay, in ms', 1, 300_000),
    PROVISIONING_TIMEOUT_MS: intIn('how long to wait for Webex to finish provisioning before failing, in ms', 1000, 4 * 3600_000),
    BYODS_RENEW_EVERY_MINUTES: intIn('how often the server renews expiring BYODS data-source tokens, in minutes (0 = never)', 0, 0),
    BYODS_RENEW_WITHIN_MINUTES: intIn('which data-source tokens to renew: those expiring within this many minutes', 1, 120),
    BYODS_TOKEN_LIFETIME_MINUTES: intIn('the lifetime of a renewed data-source token, in minutes (at most 1440)', 1, 1440),
    BYODS_APP_ID: optionalText,
    BYODS_CLIENT_ID: optionalText,
    BYODS_CLIENT_SECRET: optionalText,
    BYODS_TARGET_ORG_ID: optionalText,
    BYODS_PERSONAL_TOKEN: optionalText,
    // Guards a page that shows customer data and re-runs provisioning: a short, guessable token is refused.
    ADMIN_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, { error: 'expected at least 16 characters (a long random value, e.g. from `openssl rand -hex 32`)' }),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected a pino level such as info or debug' }).default('info'),
  });

/**
 * `docker run --env-file` keeps quotes literally, so a `.env` written for dotenv (`KEY="value"`) arrives with
 * them. No setting is ever meant to be wrapped in quotes: say so, rather than report a bad URL or JSON.
 * The value itself is not shown, as it may be a secret.
 */
function quotedValues(env: NodeJS.ProcessEnv, keys: string[]): string[] {
  return keys.flatMap((key) => {
    const quote = /^\s*(["'])[\s\S]*\1\s*$/.exec(env[key] ?? '')?.[1];
    return quote ? [`${key}: the value is wrapped in quotes (${quote}…${quote}); remove them — docker --env-file keeps quotes literally`] : [];
  });
}

const issuesOf = (error: z.ZodError) => error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')}: ${issue.message}`);
const variableOf = (problem: string) => problem.slice(0, problem.indexOf(':'));

/** A quoted value usually fails its own check too; its quotes are then the one thing worth saying about it. */
function problemsToReport(quoted: string[], others: string[]): string[] {
  const quotedKeys = new Set(quoted.map(variableOf));
  return [...quoted, ...others.filter((problem) => !quotedKeys.has(variableOf(problem)))];
}

/**
 * Credentials that only some modes need. Checked on the raw environment, apart from the schema,
 * so that they are reported together with every other problem.
 */
function missingCredentials(env: NodeJS.ProcessEnv): string[] {
  const notification = env.NOTIFICATION_AUTH || 'basic';
  const fetch = env.APPDIRECT_FETCH_AUTH || 'oauth2';
  const problems: string[] = [];
  const need = (keys: string[], why: string) => {
    for (const key of keys) if (!env[key]?.trim()) problems.push(`${key}: required ${why}`);
  };
  if (notification === 'basic') need(['BASIC_USERNAME', 'BASIC_PASSWORD'], 'when NOTIFICATION_AUTH is basic');
  if (notification === 'oauth2') need(['NOTIFICATION_OAUTH_CLIENT_ID', 'NOTIFICATION_OAUTH_CLIENT_SECRET'], 'when NOTIFICATION_AUTH is oauth2');
  if (notification === 'oauth1' || fetch === 'oauth1') need(['OAUTH1_CONSUMER_KEY', 'OAUTH1_CONSUMER_SECRET'], 'for OAuth 1.0a signatures');
  if (fetch === 'oauth2') need(['OAUTH_CLIENT_ID', 'OAUTH_CLIENT_SECRET'], 'to read events from AppDirect (OAuth 2.0 client credentials)');
  if (Number(env.BYODS_RENEW_EVERY_MINUTES) > 0) {
    need(['BYODS_APP_ID', 'BYODS_CLIENT_ID', 'BYODS_CLIENT_SECRET', 'BYODS_TARGET_ORG_ID', 'BYODS_PERSONAL_TOKEN'], 'when BYODS_RENEW_EVERY_MINUTES is set (the service app that owns the data sources)');
  }
  return problems;
}

export interface Config {
  port: number;
  /** Proxies whose X-Forwarded-For is believed (Express "trust proxy" values). */
  trustProxy: string[];
  dataDir: string;
  /** The shared PostgreSQL store; absent means the embedded SQLite journal in dataDir. */
  databaseUrl?: string;
  /** The operator page's token; absent means the page is off. */
  adminToken?: string;
  logLevel: string;
  marketplaceBaseUrl: string;
  notificationAuth: NotificationAuthConfig;
  appDirectAuth: InboundAuthConfig;
  appDirectTimeoutMs: number;
  webex: { baseUrl: string; token: string; timeoutMs: number; pollIntervalMs: number; provisioningTimeoutMs: number };
  provisioning: ProvisioningSettings;
  jobs: { concurrency: number; maxAttempts: number; retryBaseMs: number; retryMaxMs: number; syncBudgetMs: number; noticeBudgetMs: number; leaseMs: number };
  /** Scheduled renewal of BYODS data-source tokens; absent when switched off. */
  dataSourceRenewal?: { everyMinutes: number; withinMinutes: number; lifetimeMinutes: number; serviceApp: ServiceAppCredentials; personalToken: string };
}

export interface ProvisioningSettings {
  provisioningId: string;
  customerPackages: string[];
  editionPackages: Record<string, string>;
  defaultAddress: { addressLine1: string; city: string; stateOrProvince: string; zipOrPostalCode: string; country: string };
  timezone: string;
  language: string;
  customerNameSuffix: string;
  deleteCustomerWithLastSubscriber: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Where the journal is: the embedded SQLite file in dataDir, or the shared PostgreSQL database. */
export type StoreConfig = Pick<Config, 'dataDir' | 'databaseUrl'>;

/** The store settings alone (DATA_DIR, DATABASE_URL), for tools that only read the journal. */
export function parseStoreConfig(env: NodeJS.ProcessEnv): StoreConfig {
  const parsed = storeEnvSchema.safeParse(env);
  const problems = problemsToReport(quotedValues(env, Object.keys(storeEnvSchema.shape)), parsed.success ? [] : issuesOf(parsed.error));
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  return storeConfigOf(parsed.data);
}

function storeConfigOf(e: z.infer<typeof storeEnvSchema>): StoreConfig {
  return { dataDir: path.resolve(e.DATA_DIR), databaseUrl: e.DATABASE_URL };
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  const problems = problemsToReport(quotedValues(env, Object.keys(envSchema.shape)), [...(parsed.success ? [] : issuesOf(parsed.error)), ...missingCredentials(env)]);
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    port: e.PORT,
    trustProxy: e.TRUST_PROXY,
    ...storeConfigOf(e),
    adminToken: e.ADMIN_TOKEN,
    logLevel: e.LOG_LEVEL,
    marketplaceBaseUrl: e.BASE_URL_MARKETPLACE.replace(/\/+$/, ''),
    notificationAuth: notificationAuthOf(e),
    appDirectAuth:
      e.APPDIRECT_FETCH_AUTH === 'oauth1'
        ? { mode: 'oauth1', consumerKey: e.OAUTH1_CONSUMER_KEY!, consumerSecret: e.OAUTH1_CONSUMER_SECRET! }
        : { mode: 'oauth2', clientId: e.OAUTH_CLIENT_ID!, clientSecret: e.OAUTH_CLIENT_SECRET! },
    appDirectTimeoutMs: e.APPDIRECT_TIMEOUT_MS,
    webex: { baseUrl: e.WEBEX_API_BASE_URL, token: e.WEBEX_TOKEN, timeoutMs: e.WEBEX_TIMEOUT_MS, pollIntervalMs: e.WEBEX_POLL_INTERVAL_MS, provisioningTimeoutMs: e.PROVISIONING_TIMEOUT_MS },
    provisioning: {
      provisioningId: e.PROVISIONING_ID,
      customerPackages: e.CUSTOMER_PACKAGES,
      editionPackages: e.EDITION_PACKAGES,
      defaultAddress: { addressLine1: e.ADDRESS, city: e.CITY, stateOrProvince: e.STATE, zipOrPostalCode: e.ZIP_CODE, country: e.COUNTRY.toUpperCase() },
      timezone: e.TIMEZONE,
      language: e.CUSTOMER_LANGUAGE,
      customerNameSuffix: e.CUSTOMER_NAME_SUFFIX,
      deleteCustomerWithLastSubscriber: e.DELETE_CUSTOMER_WITH_LAST_SUBSCRIBER,
    },
    dataSourceRenewal:
      e.BYODS_RENEW_EVERY_MINUTES > 0
        ? {
            everyMinutes: e.BYODS_RENEW_EVERY_MINUTES,
            withinMinutes: e.BYODS_RENEW_WITHIN_MINUTES,
            lifetimeMinutes: Math.min(e.BYODS_TOKEN_LIFETIME_MINUTES, 1440),
            serviceApp: { appId: e.BYODS_APP_ID!, clientId: e.BYODS_CLIENT_ID!, clientSecret: e.BYODS_CLIENT_SECRET!, targetOrgId: e.BYODS_TARGET_ORG_ID! },
            personalToken: e.BYODS_PERSONAL_TOKEN!,
          }
        : undefined,
    jobs: { concurrency: e.JOB_CONCURRENCY, maxAttempts: e.JOB_MAX_ATTEMPTS, retryBaseMs: e.RETRY_BASE_MS, retryMaxMs: e.RETRY_MAX_MS, syncBudgetMs: e.SYNC_BUDGET_MS, noticeBudgetMs: e.NOTICE_BUDGET_MS, leaseMs: e.JOB_LEASE_MS },
  };
}

function notificationAuthOf(e: z.infer<typeof envSchema>): NotificationAuthConfig {
  switch (e.NOTIFICATION_AUTH) {
    case 'oauth1':
      return { mode: 'oauth1', consumerKey: e.OAUTH1_CONSUMER_KEY!, consumerSecret: e.OAUTH1_CONSUMER_SECRET!, publicBaseUrl: e.PUBLIC_BASE_URL };
    case 'oauth2':
      return { mode: 'oauth2', clientId: e.NOTIFICATION_OAUTH_CLIENT_ID!, clientSecret: e.NOTIFICATION_OAUTH_CLIENT_SECRET! };
    default:
      return { mode: 'basic', username: e.BASIC_USERNAME!, password: e.BASIC_PASSWORD! };
  }
}
