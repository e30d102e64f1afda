import { z } from 'zod';
import type { WebexHttp } from './http';

/** A service app that a full admin of the target org has authorised in Control Hub. */
export interface ServiceAppCredentials {
  appId: string;
  clientId: string;
  clientSecret: string;
  targetOrgId: string;
}

export interface ServiceAppToken {
  accessToken: string;
  expiresInSeconds?: number;
}

const tokenAnswer = z
  .object({
    access_token: z.string().min(1),
    expires_in: z.number().optional(),
  })
  .passthrough();

/**
 * Obtains a fresh service app access token through `POST /applications/{applicationId}/token`.
 * `http` must be authorised by a personal or integration token with the spark:applications_token scope.
 * Asking twice only yields two valid tokens, so the call may be repeated after a lost answer.
 */
export async function createServiceAppToken(http: WebexHttp, credentials: ServiceAppCredentials): Promise<ServiceAppToken> {
  const { data } = await http.request('POST', `/applications/${encodeURIComponent(credentials.appId)}/token`, {
    body: { clientId: credentials.clientId, clientSecret: credentials.clientSecret, targetOrgId: credentials.targetOrgId },
    schema: tokenAnswer,
    retrySafe: true,
  });
  return { accessToken: data.access_token, expiresInSeconds: data.expires_in };
}
