import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { OAuthClient } from '../webex/accessTokenGrant';
import type { CredentialNames, ServiceAppBootstrap } from '../webex/tokenSource';
import { DATA_SOURCE_SCOPES, ExplainedError } from './failures';
import { readTokenConfig, TOKEN_CONFIG_FILE, type TokenConfigValues } from './tokenConfig';

/** Webex's public key sets, by region (docs/byods.md). */
export const WEBEX_KEY_SETS = {
  us: 'https://idbroker.webex.com/idb/oauth2/v2/keys/verificationjwk',
  eu: 'https://idbroker-eu.webex.com/idb/oauth2/v2/keys/verificationjwk',
} as const;

/** Where byods finds Webex and how it authenticates, read once at start from the environment and the token config. */
export interface Settings {
  baseUrl: string;
  logLevel: string;
  /** Where `byods verify` fetches Webex's public keys: BYODS_JWKS_URL, else the key set of BYODS_REGION. */
  keySetUrl: string;
  /** BYODS_TOKEN_FILE; absent means byods_tokens.json beside the records. */
  tokenFile?: string;
  credentials: Credentials;
}

/** What the token source is given: any mix, checked for completeness here. */
export interface Credentials {
  /** WEBEX_TOKEN: a service app access token to start with. */
  accessToken?: string;
  /** The service app's client ID and secret, with which its refresh tokens renew. */
  client?: OAuthClient;
  /** BYODS_REFRESH_TOKEN: a service app refresh token the owner supplied. */
  refreshToken?: string;
  /** The service app and a personal token to obtain a first token pair with (again when the refresh token no longer works). */
  bootstrap?: ServiceAppBootstrap;
  names: CredentialNames;
}

const blankIsAbsent = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(blankIsAbsent, z.string().trim().optional());

const environment = z.object({
  WEBEX_TOKEN: optionalText,
  WEBEX_API_BASE_URL: z.preprocess(blankIsAbsent, z.url({ protocol: /^https?$/ }).default('https://webexapis.com/v1')),
  BYODS_LOG_LEVEL: z.preprocess(blankIsAbsent, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('warn')),
  BYODS_APP_ID: optionalText,
  BYODS_CLIENT_ID: optionalText,
  BYODS_CLIENT_SECRET: optionalText,
  BYODS_TARGET_ORG_ID: optionalText,
  BYODS_PERSONAL_TOKEN: optionalText,
  BYODS_REFRESH_TOKEN: optionalText,
  BYODS_TOKEN_FILE: optionalText,
  BYODS_REGION: z.preprocess((value) => (typeof value === 'string' ? (blankIsAbsent(value) as string | undefined)?.toLowerCase() : value), z.enum(['us', 'eu']).default('us')),
  BYODS_JWKS_URL: z.preprocess(blankIsAbsent, z.url({ protocol: /^https?$/ }).optional()),
});

type Environment = z.infer<typeof environment>;

/** A value and the name the owner knows it by, so a message can say which one to fix. */
interface Named {
  value: string;
  name: string;
}

/**
 * Reads the environment and the token config: `--token-config FILE`, else ./token-config.json when it
 * exists (upstream's file, read as it is). A variable that is set wins over the file's key.
 */
export function readSettings(env: NodeJS.ProcessEnv, tokenConfigPath: string | undefined, cwd: string): Settings {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ExplainedError(`Invalid ${issue.path.join('.')} in the environment: ${issue.message}.`);
  }
  const vars = parsed.data;
  const configPath = tokenConfigPath ?? (existsSync(`${cwd}/${TOKEN_CONFIG_FILE}`) ? `${cwd}/${TOKEN_CONFIG_FILE}` : undefined);
  const file = configPath ? readTokenConfig(configPath) : {};
  return {
    baseUrl: vars.WEBEX_API_BASE_URL,
    logLevel: vars.BYODS_LOG_LEVEL,
    keySetUrl: vars.BYODS_JWKS_URL ?? WEBEX_KEY_SETS[vars.BYODS_REGION],
    tokenFile: vars.BYODS_TOKEN_FILE,
    credentials: credentialsFrom(vars, file),
  };
}

/** Commands that call Webex need some way to a token; `byods verify` of a given token does not. */
export function requireCredentials(settings: Settings): void {
  const { accessToken, client } = settings.credentials;
  if (accessToken || client) return;
  throw new ExplainedError(
    `No Webex token. Set WEBEX_TOKEN (in .env or the environment) to a service app access token with the scopes ${DATA_SOURCE_SCOPES}, ` +
      `or give the service app's BYODS_CLIENT_ID and BYODS_CLIENT_SECRET with a refresh token (BYODS_REFRESH_TOKEN) or with BYODS_APP_ID, BYODS_TARGET_ORG_ID and a personal token (BYODS_PERSONAL_TOKEN), ` +
      `or the same in a token-config.json (--token-config FILE), so byods can obtain and renew one.`,
  );
}

function credentialsFrom(vars: Environment, file: TokenConfigValues): Credentials {
  const pick = (variable: keyof Environment, fromFile: Named | undefined): Named | undefined => {
    const value = vars[variable];
    return typeof value === 'string' ? { value, name: variable } : fromFile;
  };
  const clientId = pick('BYODS_CLIENT_ID', file.clientId);
  const clientSecret = pick('BYODS_CLIENT_SECRET', file.clientSecret);
  const appId = pick('BYODS_APP_ID', file.appId);
  const targetOrgId = pick('BYODS_TARGET_ORG_ID', file.targetOrgId);
  const personalToken = pick('BYODS_PERSONAL_TOKEN', file.personalToken);
  const refreshToken = vars.BYODS_REFRESH_TOKEN;

  if (!clientId !== !clientSecret) throw incomplete([clientId ?? clientSecret!], [clientId ? 'BYODS_CLIENT_SECRET' : 'BYODS_CLIENT_ID']);
  const client = clientId && clientSecret ? { clientId: clientId.value, clientSecret: clientSecret.value } : undefined;
  if (refreshToken && !client) throw incomplete([{ value: refreshToken, name: 'BYODS_REFRESH_TOKEN' }], ['BYODS_CLIENT_ID', 'BYODS_CLIENT_SECRET']);
  if (personalToken && (!appId || !targetOrgId || !client)) {
    const missing = [!appId && 'BYODS_APP_ID', !targetOrgId && 'BYODS_TARGET_ORG_ID', !clientId && 'BYODS_CLIENT_ID', !clientSecret && 'BYODS_CLIENT_SECRET'].filter((name): name is string => !!name);
    throw incomplete([personalToken], missing);
  }
  return {
    accessToken: vars.WEBEX_TOKEN,
    client,
    refreshToken,
    bootstrap: personalToken && appId && targetOrgId ? { appId: appId.value, targetOrgId: targetOrgId.value, personalToken: personalToken.value } : undefined,
    names: {
      client: clientId && clientSecret ? `${clientId.name} and ${clientSecret.name}` : 'BYODS_CLIENT_ID and BYODS_CLIENT_SECRET',
      refreshToken: 'BYODS_REFRESH_TOKEN',
      accessToken: 'WEBEX_TOKEN',
      personalToken: personalToken?.name ?? 'BYODS_PERSONAL_TOKEN',
    },
  };
}

/** Each setting by its variable and by its key in upstream's token-config.json. */
const EITHER_NAME: Record<string, string> = {
  BYODS_APP_ID: 'BYODS_APP_ID (serviceApp.appId)',
  BYODS_CLIENT_ID: 'BYODS_CLIENT_ID (serviceApp.clientId)',
  BYODS_CLIENT_SECRET: 'BYODS_CLIENT_SECRET (serviceApp.clientSecret)',
  BYODS_TARGET_ORG_ID: 'BYODS_TARGET_ORG_ID (serviceApp.targetOrgId)',
};

function incomplete(given: Named[], missing: string[]): ExplainedError {
  const names = missing.map((name) => EITHER_NAME[name] ?? name);
  return new ExplainedError(`Incomplete service app settings: ${given.map((item) => item.name).join(', ')} is set but ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} missing.`);
}
