import { grantOf, tokenAnswer, type OAuthClient, type TokenGrant } from './accessTokenGrant';
import type { WebexHttp } from './http';

/** A service app that a full admin of the target org has authorised in Control Hub. */
export interface ServiceAppCredentials extends OAuthClient {
  appId: string;
  targetOrgId: string;
}

/**
 * Obtains a fresh service app token pair through `POST /applications/{applicationId}/token`.
 * `http` must be authorised by a personal or integration token with the spark:applications_token scope.
 * The refresh token it answers renews through `POST /access_token` from then on, with no personal token.
 * Asking twice only yields two valid token pairs, so the call may be repeated after a lost answer.
 */
export async function createServiceAppToken(http: WebexHttp, credentials: ServiceAppCredentials): Promise<TokenGrant> {
  const { data } = await http.request('POST', `/applications/${encodeURIComponent(credentials.appId)}/token`, {
    body: { clientId: credentials.clientId, clientSecret: credentials.clientSecret, targetOrgId: credentials.targetOrgId },
    schema: tokenAnswer,
    retrySafe: true,
  });
  return grantOf(data);
}
