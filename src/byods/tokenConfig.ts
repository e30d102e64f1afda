import { z } from 'zod';
import { ExplainedError } from './failures';
import { readJsonFile } from './jsonFile';

/** The file name upstream's BYODS manager reads; byods looks for it in the working directory. */
export const TOKEN_CONFIG_FILE = 'token-config.json';

/** Each value found, with the name the owner knows it by ("serviceApp.clientId in ./token-config.json"). */
export interface TokenConfigValues {
  appId?: { value: string; name: string };
  clientId?: { value: string; name: string };
  clientSecret?: { value: string; name: string };
  targetOrgId?: { value: string; name: string };
  personalToken?: { value: string; name: string };
}

const text = z.string().trim().min(1).optional().catch(undefined);

/**
 * Upstream's shape: `serviceApp` with appId, clientId, clientSecret, targetOrgId; `tokenManager` with
 * personalAccessToken. Its other keys (tokenManager's OAuth integration, anything added later) are
 * left alone. The flat shape byods read before (the same keys at the top level) is read too.
 */
const tokenConfig = z.looseObject({
  serviceApp: z.looseObject({ appId: text, clientId: text, clientSecret: text, targetOrgId: text }).optional().catch(undefined),
  tokenManager: z.looseObject({ personalAccessToken: text }).optional().catch(undefined),
  appId: text,
  clientId: text,
  clientSecret: text,
  targetOrgId: text,
  personalAccessToken: text,
});

/** Reads the file as it is; byods never writes it (the tokens it obtains go to its own token file). */
export function readTokenConfig(path: string): TokenConfigValues {
  const content = readJsonFile(path, 'the token config');
  const parsed = tokenConfig.safeParse(content);
  if (!parsed.success) throw new ExplainedError(`The token config ${path} must be a JSON object (with serviceApp and tokenManager, as upstream's token-config.json).`);
  const { serviceApp, tokenManager, ...flat } = parsed.data;
  const found = (nested: string | undefined, nestedKey: string, flatValue: string | undefined, flatKey: string) =>
    nested !== undefined ? { value: nested, name: `${nestedKey} in ${path}` } : flatValue !== undefined ? { value: flatValue, name: `${flatKey} in ${path}` } : undefined;
  return {
    appId: found(serviceApp?.appId, 'serviceApp.appId', flat.appId, 'appId'),
    clientId: found(serviceApp?.clientId, 'serviceApp.clientId', flat.clientId, 'clientId'),
    clientSecret: found(serviceApp?.clientSecret, 'serviceApp.clientSecret', flat.clientSecret, 'clientSecret'),
    targetOrgId: found(serviceApp?.targetOrgId, 'serviceApp.targetOrgId', flat.targetOrgId, 'targetOrgId'),
    personalToken: found(tokenManager?.personalAccessToken, 'tokenManager.personalAccessToken', flat.personalAccessToken, 'personalAccessToken'),
  };
}
