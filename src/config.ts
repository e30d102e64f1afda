import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { NotificationAuthConfig } from './appdirect/notificationAuth';
import { DEFAULT_MAX_EVENT_BYTES, InboundAuthConfig } from './appdirect/client';
import type { OAuthClient } from './webex/accessTokenGrant';
import type { ServiceAppBootstrap } from './webex/tokenSource';

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

/** A whole number from min to max; `fallback` when unset (undefined: the setting is optional). */
const wholeNumber = <F extends number | undefined>(what: string, min: number, max: number, fallback: F) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx): number | F => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
        ctx.addIssue({ code: 'custom', message: `expected ${what}, a whole number ${range} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const intIn = (what: string, min: number, fallback: number) => wholeNumber(what, min, Number.MAX_SAFE_INTEGER, fallback);

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

const countryCode = z.string().regex(/^[A-Za-z]{2}$/);

/** An add-on's package: its name alone (the level then comes from the Webex package list), or name and level. */
const addonPackage = z.union([z.string().min(1), z.strictObject({ package: z.string().min(1), level: z.enum(['subscriber', 'customer']).optional() })]);

/** A default street address and time zone for customers of one country, in the spirit of ADDRESS … TIMEZONE. */
const countryAddress = z.strictObject({
  address: z.string().trim().min(1).max(50),
  address2: z.string().trim().max(50).optional(),
  city: z.string().trim().min(1),
  state: z.string().trim().optional(),
  zip: z.string().trim().optional(),
  timezone: z.string().trim().min(1),
});

/**
 * Express's `trust proxy`, minus `true`: which proxies in front of the connector may say, in X-Forwarded-For,
 * whom they forward. Failed sign-ins are counted per caller address, so trusting a proxy that is not there would
 * let any caller choose the address it is counted under.
 */
export type TrustProxy = false | number | string[];
const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

const isProxyAddress = (entry: string) => {
  if (PROXY_KEYWORDS.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

const trustProxy = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx): TrustProxy => {
    if (v === undefined || v === '' || v === 'false') return false;
    if (/^\d+$/.test(v)) return Number(v);
    if (v === 'true') {
      ctx.addIssue({ code: 'custom', message: 'true would believe any X-Forwarded-For a caller sends; give the number of proxies in front of the connector (e.g. 1) or their addresses' });
      return z.NEVER;
    }
    const entries = v.split(',').map((entry) => entry.trim()).filter(Boolean);
    const unknown = entries.filter((entry) => !isProxyAddress(entry));
    if (unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `expected false, a number of proxies, or proxy addresses and CIDR ranges (or loopback, linklocal, uniquelocal) separated by commas; not understood: ${unknown.join(', ')}` });
      return z.NEVER;
    }
    return entries;
  });

/** The length below which a shared secret is too easy to guess for an endpoint anyone can reach. */
export const MIN_SECRET_LENGTH = 32;
const LONG_RANDOM = 'a long random value, e.g. from `openssl rand -hex 32`';
const longToken = optionalText.refine((v) => v === undefined || v.length >= 16, { error: `expected at least 16 characters (${LONG_RANDOM})` });

/** A number above 0 and at most max (fractions allowed: one call every two seconds is 0.5). */
const positiveNumber = (what: string, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx): number => {
      if (v === undefined || v === '') return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0 || n > max) {
        ctx.addIssue({ code: 'custom', message: `expected ${what}, a number above 0 and at most ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''], { error: 'expected true or false' })
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : ['true', '1', 'yes'].includes(v)));

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
    // Either a fixed access token (trials), or an integration's or service app's client and refresh token.
    WEBEX_TOKEN: optionalText,
    WEBEX_CLIENT_ID: optionalText,
    WEBEX_CLIENT_SECRET: optionalText,
    WEBEX_REFRESH_TOKEN: optionalText,
    WEBEX_API_BASE_URL: httpUrl('the Webex API base URL').default('https://webexapis.com/v1'),
    PROVISIONING_ID: required('the Provisioning ID of the Partner Hub customer template'),
    CUSTOMER_PACKAGES: jsonOf('a JSON array of Webex customer package names, e.g. ["webex_calling","webex_meetings"]', z.array(z.string().min(1)).min(1)),
    EDITION_PACKAGES: jsonOf('a JSON object mapping AppDirect edition codes to Webex packages, e.g. {"BASIC":"webex_meetings"}', z.record(z.string(), z.string().min(1)), {}),
    ADDON_PACKAGES: jsonOf(
      'a JSON object mapping AppDirect add-on codes to Webex packages, each a package name or {"package":…,"level":"subscriber"|"customer"}, e.g. {"AC":"attendant_console"}',
      z.record(z.string(), addonPackage),
      {},
    ),
    COUNTRY_ADDRESSES: jsonOf(
      'a JSON object of default addresses by ISO country code, e.g. {"CA":{"address":"100 King St W","city":"Toronto","state":"ON","zip":"M5X 1A9","timezone":"America/Toronto"}}',
      z.record(countryCode, countryAddress),
      {},
    ),
    SUSPENDED_ACCOUNT_POLICY: z.enum(['keep', 'remove'], { error: 'expected keep or remove' }).default('keep'),
    CONSENT_RESEND_COUNT: intIn('how many times to send Webex\'s invitation to move an existing account again', 0, 3),
    CONSENT_RESEND_INTERVAL_MS: intIn('how long to wait for a user\'s consent before sending the invitation again, in ms', 1000, 24 * 3600_000),
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
    TRUST_PROXY: trustProxy,
    METRICS_PORT: wholeNumber('the port that serves /metrics apart from the notifications', 0, 65535, undefined),
    METRICS_TOKEN: longToken,
    WEBEX_POLL_INTERVAL_MS: intIn('how often to look at a customer or subscriber still provisioning, in ms', 10, 10_000),
    SYNC_BUDGET_MS: intIn('how long a notification may wait for its result before answering 202, in ms', 0, 5_000),
    NOTICE_BUDGET_MS: intIn('how long a SUBSCRIPTION_NOTICE may wait for its result, in ms', 0, 20_000),
    WEBEX_TIMEOUT_MS: intIn('the Webex request timeout, in ms', 100, 20_000),
    APPDIRECT_TIMEOUT_MS: intIn('the AppDirect request timeout, in ms', 100, 10_000),
    APPDIRECT_MAX_EVENT_BYTES: intIn('the largest answer read from AppDirect, in bytes', 1024, DEFAULT_MAX_EVENT_BYTES),
    JOB_CONCURRENCY: intIn('how many events are worked on at once', 1, 4),
    JOB_MAX_ATTEMPTS: intIn('how many failed attempts an event gets before it fails', 1, 12),
    JOB_LEASE_MS: intIn('how long a claim on a job lasts without a heartbeat before another instance may take it over, in ms', 1000, 60_000),
    INSTANCE_ID: optionalText,
    WEBEX_MAX_CALLS_PER_SECOND: wholeNumber('the Webex calls a second the partner may make, shared by every instance', 1, 100_000, undefined),
    RETRY_BASE_MS: intIn('the first retry delay, in ms', 1, 2_000),
    RETRY_MAX_MS: intIn('the longest retry delay, in ms', 1, 300_000),
    PROVISIONING_TIMEOUT_MS: intIn('how long to wait for Webex to finish provisioning before failing, in ms', 1000, 4 * 3600_000),
    BYODS_RENEW_EVERY_MINUTES: intIn('how often the server renews expiring BYODS data-source tokens, in minutes (0 = never)', 0, 0),
    BYODS_RENEW_WITHIN_MINUTES: intIn('which data-source tokens to renew: those expiring within this many minutes', 1, 120),
    BYODS_TOKEN_LIFETIME_MINUTES: intIn('the lifetime of a renewed data-source token, in minutes (at most 1440)', 1, 1440),
    RECONCILE_EVERY_MINUTES: intIn('how often the server compares its accounts with Webex, in minutes (0 = never)', 0, 0),
    RECONCILE_FIX: bool(false),
    RECONCILE_CALLS_PER_SECOND: positiveNumber('the Webex calls a reconciliation may make per second', 100, 2),
    RECONCILE_STUCK_AFTER_MINUTES: intIn('how long a customer or subscriber may stay in a status Webex has not finished before it counts as stuck, in minutes', 1, 60),
    JOURNAL_RETENTION_DAYS: intIn('how many days finished events stay in the journal (0 = forever)', 0, 90),
    BYODS_APP_ID: optionalText,
    BYODS_CLIENT_ID: optionalText,
    BYODS_CLIENT_SECRET: optionalText,
    BYODS_TARGET_ORG_ID: optionalText,
    BYODS_PERSONAL_TOKEN: optionalText,
    BYODS_REFRESH_TOKEN: optionalText,
    // Guards a page that shows customer data and re-runs provisioning: a short, guessable token is refused.
    ADMIN_TOKEN: longToken,
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
  const renewable = ['WEBEX_CLIENT_ID', 'WEBEX_CLIENT_SECRET', 'WEBEX_REFRESH_TOKEN'].some((key) => env[key]?.trim());
  if (renewable) need(['WEBEX_CLIENT_ID', 'WEBEX_CLIENT_SECRET', 'WEBEX_REFRESH_TOKEN'], 'for renewable Webex credentials (an integration or service app and its refresh token)');
  else need(['WEBEX_TOKEN'], 'a Webex partner admin token with the wholesale scopes, or renewable credentials: WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET and WEBEX_REFRESH_TOKEN');
  if (Number(env.BYODS_RENEW_EVERY_MINUTES) > 0) {
    need(['BYODS_CLIENT_ID', 'BYODS_CLIENT_SECRET'], 'when BYODS_RENEW_EVERY_MINUTES is set (the service app that owns the data sources)');
    if (!env.BYODS_REFRESH_TOKEN?.trim()) {
      need(['BYODS_APP_ID', 'BYODS_TARGET_ORG_ID', 'BYODS_PERSONAL_TOKEN'], 'when BYODS_RENEW_EVERY_MINUTES is set and there is no BYODS_REFRESH_TOKEN (to obtain the service app token pair)');
    }
  }
  if (notification === 'oauth2' && env.NOTIFICATION_OAUTH_CLIENT_SECRET?.trim() && env.NOTIFICATION_OAUTH_CLIENT_SECRET.trim().length < MIN_SECRET_LENGTH) {
    problems.push(`NOTIFICATION_OAUTH_CLIENT_SECRET: expected at least ${MIN_SECRET_LENGTH} characters (${LONG_RANDOM}); POST /oauth2/token is open to anyone who can reach the connector`);
  }
  return problems;
}

/** What the connector can run with but the operator should fix; logged at start. */
function weakSettings(e: z.infer<typeof envSchema>): string[] {
  const warnings: string[] = [];
  // A warning only: AppDirect's product form sets this password, and the operator may not choose its length.
  if (e.NOTIFICATION_AUTH === 'basic' && e.BASIC_PASSWORD && e.BASIC_PASSWORD.length < MIN_SECRET_LENGTH) {
    warnings.push(`BASIC_PASSWORD is shorter than ${MIN_SECRET_LENGTH} characters: anyone who can reach the connector may try to guess it; set ${LONG_RANDOM} in AppDirect and here`);
  }
  return warnings;
}

export interface Config {
  port: number;
  /** Which proxies may name the caller (X-Forwarded-For); false: the caller is whoever connects. */
  trustProxy: TrustProxy;
  /** Where /metrics is served: its own port (absent: the main one), and the bearer token it asks for (absent: none). */
  metrics: { port?: number; token?: string };
  /** Settings the connector runs with but that weaken it; logged at start. */
  warnings: string[];
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
  /** Answers from AppDirect larger than this are refused unread (INVALID_RESPONSE). */
  appDirectMaxEventBytes: number;
  webex: { baseUrl: string; credentials: WebexCredentials; timeoutMs: number; pollIntervalMs: number; provisioningTimeoutMs: number; maxCallsPerSecond?: number };
  provisioning: ProvisioningSettings;
  /** Users whose e-mail belongs to an existing Webex account (pending_user_migration): how their invitation is sent again. */
  consent: ConsentSettings;
  jobs: { concurrency: number; maxAttempts: number; retryBaseMs: number; retryMaxMs: number; syncBudgetMs: number; noticeBudgetMs: number; leaseMs: number };
  /**
   * This instance's stable name on a shared store, so that a restart takes back its own unfinished jobs at once
   * (by default the host name and port; absent with PORT=0, when only the lease frees them).
   */
  instanceId?: string;
  /** Scheduled renewal of BYODS data-source tokens; absent when switched off. */
  dataSourceRenewal?: DataSourceRenewalConfig;
  /** Comparing the accounts the connector remembers with Webex: by hand (events CLI) or on a schedule. */
  reconcile: ReconcileSettings;
  /** How long finished events stay in the journal; absent: forever. */
  retention?: { days: number };
}

export interface ReconcileSettings {
  /** Minutes between scheduled runs; absent when the schedule is off. */
  everyMinutes?: number;
  /** Scheduled runs repair what they may; otherwise they only report. */
  fix: boolean;
  /** The share of the Webex rate budget a run may take. */
  callsPerSecond: number;
  /** A customer or subscriber Webex has not finished with for longer than this is reported as stuck. */
  stuckAfterMs: number;
}

/** The service app that owns the data sources: its client, a refresh token, and/or what bootstraps one. */
export interface DataSourceRenewalConfig {
  everyMinutes: number;
  withinMinutes: number;
  lifetimeMinutes: number;
  client: OAuthClient;
  refreshToken?: string;
  bootstrap?: ServiceAppBootstrap;
}

/**
 * How the connector authorises its Webex calls: a fixed access token (it expires: 12 hours for a personal token),
 * or renewable OAuth credentials whose access tokens the connector renews itself.
 */
export type WebexCredentials =
  | { kind: 'static'; accessToken: string }
  | { kind: 'renewable'; clientId: string; clientSecret: string; refreshToken: string; accessToken?: string };

export interface ProvisioningSettings {
  provisioningId: string;
  customerPackages: string[];
  editionPackages: Record<string, string>;
  /** AppDirect add-on code → Webex package, with its level when configured. */
  addonPackages: Record<string, { package: string; level?: 'subscriber' | 'customer' }>;
  defaultAddress: { addressLine1: string; city: string; stateOrProvince: string; zipOrPostalCode: string; country: string };
  timezone: string;
  /** Default addresses and time zones of further countries (COUNTRY_ADDRESSES), by upper-case ISO code. */
  countryAddresses: Record<string, { addressLine1: string; addressLine2?: string; city: string; stateOrProvince?: string; zipOrPostalCode?: string; timezone: string }>;
  language: string;
  customerNameSuffix: string;
  deleteCustomerWithLastSubscriber: boolean;
  /** What a DEACTIVATED notice does to the account's Webex users: keep them, or remove them until REACTIVATED. */
  suspendedAccountPolicy: 'keep' | 'remove';
}

export interface ConsentSettings {
  /** Invitations sent again, at most, before the connector stops watching the user. */
  resendCount: number;
  resendIntervalMs: number;
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
    metrics: { port: e.METRICS_PORT, token: e.METRICS_TOKEN },
    warnings: weakSettings(e),
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
    appDirectMaxEventBytes: e.APPDIRECT_MAX_EVENT_BYTES,
    webex: { baseUrl: e.WEBEX_API_BASE_URL, credentials: webexCredentialsOf(e), timeoutMs: e.WEBEX_TIMEOUT_MS, pollIntervalMs: e.WEBEX_POLL_INTERVAL_MS, provisioningTimeoutMs: e.PROVISIONING_TIMEOUT_MS, maxCallsPerSecond: e.WEBEX_MAX_CALLS_PER_SECOND },
    provisioning: {
      provisioningId: e.PROVISIONING_ID,
      customerPackages: e.CUSTOMER_PACKAGES,
      editionPackages: e.EDITION_PACKAGES,
      addonPackages: Object.fromEntries(Object.entries(e.ADDON_PACKAGES).map(([code, target]) => [code, typeof target === 'string' ? { package: target } : target])),
      defaultAddress: { addressLine1: e.ADDRESS, city: e.CITY, stateOrProvince: e.STATE, zipOrPostalCode: e.ZIP_CODE, country: e.COUNTRY.toUpperCase() },
      timezone: e.TIMEZONE,
      countryAddresses: Object.fromEntries(
        Object.entries(e.COUNTRY_ADDRESSES).map(([country, a]) => [
          country.toUpperCase(),
          { addressLine1: a.address, addressLine2: a.address2, city: a.city, stateOrProvince: a.state, zipOrPostalCode: a.zip, timezone: a.timezone },
        ]),
      ),
      language: e.CUSTOMER_LANGUAGE,
      customerNameSuffix: e.CUSTOMER_NAME_SUFFIX,
      deleteCustomerWithLastSubscriber: e.DELETE_CUSTOMER_WITH_LAST_SUBSCRIBER,
      suspendedAccountPolicy: e.SUSPENDED_ACCOUNT_POLICY,
    },
    consent: { resendCount: e.CONSENT_RESEND_COUNT, resendIntervalMs: e.CONSENT_RESEND_INTERVAL_MS },
    dataSourceRenewal:
      e.BYODS_RENEW_EVERY_MINUTES > 0
        ? {
            everyMinutes: e.BYODS_RENEW_EVERY_MINUTES,
            withinMinutes: e.BYODS_RENEW_WITHIN_MINUTES,
            lifetimeMinutes: Math.min(e.BYODS_TOKEN_LIFETIME_MINUTES, 1440),
            client: { clientId: e.BYODS_CLIENT_ID!, clientSecret: e.BYODS_CLIENT_SECRET! },
            refreshToken: e.BYODS_REFRESH_TOKEN,
            bootstrap:
              e.BYODS_APP_ID && e.BYODS_TARGET_ORG_ID && e.BYODS_PERSONAL_TOKEN
                ? { appId: e.BYODS_APP_ID, targetOrgId: e.BYODS_TARGET_ORG_ID, personalToken: e.BYODS_PERSONAL_TOKEN }
                : undefined,
          }
        : undefined,
    reconcile: {
      everyMinutes: e.RECONCILE_EVERY_MINUTES > 0 ? e.RECONCILE_EVERY_MINUTES : undefined,
      fix: e.RECONCILE_FIX,
      callsPerSecond: e.RECONCILE_CALLS_PER_SECOND,
      stuckAfterMs: e.RECONCILE_STUCK_AFTER_MINUTES * 60_000,
    },
    retention: e.JOURNAL_RETENTION_DAYS > 0 ? { days: e.JOURNAL_RETENTION_DAYS } : undefined,
    instanceId: e.INSTANCE_ID ?? (e.PORT === 0 ? undefined : `${os.hostname()}:${e.PORT}`),
    jobs: { concurrency: e.JOB_CONCURRENCY, maxAttempts: e.JOB_MAX_ATTEMPTS, retryBaseMs: e.RETRY_BASE_MS, retryMaxMs: e.RETRY_MAX_MS, syncBudgetMs: e.SYNC_BUDGET_MS, noticeBudgetMs: e.NOTICE_BUDGET_MS, leaseMs: e.JOB_LEASE_MS },
  };
}

function webexCredentialsOf(e: z.infer<typeof envSchema>): WebexCredentials {
  if (e.WEBEX_CLIENT_ID) return { kind: 'renewable', clientId: e.WEBEX_CLIENT_ID, clientSecret: e.WEBEX_CLIENT_SECRET!, refreshToken: e.WEBEX_REFRESH_TOKEN!, accessToken: e.WEBEX_TOKEN };
  return { kind: 'static', accessToken: e.WEBEX_TOKEN! };
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
