import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ServiceAppCredentials } from '../webex/applicationTokens';
import { DATA_SOURCE_SCOPES, ExplainedError } from './failures';

/** Where byods finds Webex and how it authenticates, read once at start from the environment. */
export interface Settings {
  baseUrl: string;
  logLevel: string;
  /** WEBEX_TOKEN: a service app access token to start with. */
  accessToken?: string;
  /** How to obtain (and re-obtain after a 401) a service app token. */
  serviceApp?: ServiceAppAccess;
}

export interface ServiceAppAccess {
  credentials: ServiceAppCredentials;
  personalToken: string;
  /** Names the personal token in messages ("BYODS_PERSONAL_TOKEN", "personalAccessToken in FILE"). */
  personalTokenName: string;
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
});

/** The script's token-config.json; other keys it kept there are ignored. */
const tokenConfigFile = z.looseObject({
  appId: optionalText,
  clientId: optionalText,
  clientSecret: optionalText,
  targetOrgId: optionalText,
  personalAccessToken: optionalText,
});

export function readSettings(env: NodeJS.ProcessEnv, tokenConfigPath: string | undefined): Settings {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ExplainedError(`Invalid ${issue.path.join('.')} in the environment: ${issue.message}`);
  }
  const vars = parsed.data;
  const serviceApp = tokenConfigPath ? serviceAppFromFile(tokenConfigPath) : serviceAppFromEnvironment(vars);
  if (!vars.WEBEX_TOKEN && !serviceApp) {
    throw new ExplainedError(
      `No Webex token. Set WEBEX_TOKEN (in .env or the environment) to a service app access token with the scopes ${DATA_SOURCE_SCOPES}, ` +
        'or give the service app credentials (BYODS_APP_ID, BYODS_CLIENT_ID, BYODS_CLIENT_SECRET, BYODS_TARGET_ORG_ID, BYODS_PERSONAL_TOKEN, or --token-config FILE) so byods can obtain one.',
    );
  }
  return { baseUrl: vars.WEBEX_API_BASE_URL, logLevel: vars.BYODS_LOG_LEVEL, accessToken: vars.WEBEX_TOKEN, serviceApp };
}

function serviceAppFromEnvironment(vars: z.infer<typeof environment>): ServiceAppAccess | undefined {
  const fields = {
    BYODS_APP_ID: vars.BYODS_APP_ID,
    BYODS_CLIENT_ID: vars.BYODS_CLIENT_ID,
    BYODS_CLIENT_SECRET: vars.BYODS_CLIENT_SECRET,
    BYODS_TARGET_ORG_ID: vars.BYODS_TARGET_ORG_ID,
    BYODS_PERSONAL_TOKEN: vars.BYODS_PERSONAL_TOKEN,
  };
  const missing = Object.entries(fields).filter(([, value]) => !value).map(([name]) => name);
  if (missing.length === Object.keys(fields).length) return undefined;
  if (missing.length) throw new ExplainedError(`Incomplete service app settings: ${missing.join(', ')} missing (all five are needed to obtain a service app token).`);
  return {
    credentials: { appId: fields.BYODS_APP_ID!, clientId: fields.BYODS_CLIENT_ID!, clientSecret: fields.BYODS_CLIENT_SECRET!, targetOrgId: fields.BYODS_TARGET_ORG_ID! },
    personalToken: fields.BYODS_PERSONAL_TOKEN!,
    personalTokenName: 'BYODS_PERSONAL_TOKEN',
  };
}

function serviceAppFromFile(path: string): ServiceAppAccess {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? 'it is not valid JSON' : ((err as NodeJS.ErrnoException).code ?? 'unreadable');
    throw new ExplainedError(`Cannot read the token config ${path}: ${reason}.`);
  }
  const parsed = tokenConfigFile.safeParse(content);
  if (!parsed.success) throw new ExplainedError(`The token config ${path} must be a JSON object whose appId, clientId, clientSecret, targetOrgId and personalAccessToken are strings.`);
  const { appId, clientId, clientSecret, targetOrgId, personalAccessToken } = parsed.data;
  const missing = Object.entries({ appId, clientId, clientSecret, targetOrgId, personalAccessToken }).filter(([, value]) => !value).map(([name]) => name);
  if (missing.length) throw new ExplainedError(`The token config ${path} lacks ${missing.join(', ')}.`);
  return {
    credentials: { appId: appId!, clientId: clientId!, clientSecret: clientSecret!, targetOrgId: targetOrgId! },
    personalToken: personalAccessToken!,
    personalTokenName: `personalAccessToken in ${path}`,
  };
}
