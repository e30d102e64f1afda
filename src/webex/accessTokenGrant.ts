import { z } from 'zod';
import { WebexApiError } from './errors';
import type { WebexHttp } from './http';

/** An OAuth client: an integration, or a service app (its client ID and secret). */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** What a token endpoint handed out; the refresh token may be a new one, and from then on only that one works. */
export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
  refreshToken?: string;
  refreshTokenExpiresInSeconds?: number;
}

/**
 * Webex refused a grant for good: `code` is its OAuth error (`invalid_grant`: the refresh token is expired,
 * revoked or already replaced; `invalid_client`: wrong client ID or secret). Asking again will not help.
 * The message names the grant and Webex's words, never a token.
 */
export class WebexGrantRefused extends Error {
  readonly name = 'WebexGrantRefused';
  constructor(
    readonly code: string,
    readonly details: { status: number; trackingId?: string; description?: string },
  ) {
    const said = details.description ? `: ${details.description}` : '';
    super(`Webex refused the refresh_token grant (${details.status} ${code}${said})${details.trackingId ? ` [tracking ID ${details.trackingId}]` : ''}`);
  }
}

export const tokenAnswer = z
  .object({
    access_token: z.string().min(1),
    expires_in: z.number().positive(),
    refresh_token: z.string().min(1).optional(),
    refresh_token_expires_in: z.number().optional(),
  })
  .passthrough();

export function grantOf(answer: z.infer<typeof tokenAnswer>): TokenGrant {
  return {
    accessToken: answer.access_token,
    expiresInSeconds: answer.expires_in,
    refreshToken: answer.refresh_token,
    refreshTokenExpiresInSeconds: answer.refresh_token_expires_in,
  };
}

/**
 * `POST {base}/access_token` with `grant_type=refresh_token`, form-encoded, the client authenticating in the
 * body. A lost answer is asked again: at worst the repeated grant finds the token already replaced and is
 * refused, which the caller handles like any refused refresh token. Transient failures stay WebexApiError.
 */
export async function refreshAccessToken(http: WebexHttp, client: OAuthClient, refreshToken: string): Promise<TokenGrant> {
  try {
    const { data } = await http.request('POST', '/access_token', {
      form: { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, refresh_token: refreshToken },
      bearer: false,
      schema: tokenAnswer,
      retrySafe: true,
    });
    return grantOf(data);
  } catch (err) {
    if (err instanceof WebexApiError && err.status !== undefined && !err.transient) {
      throw new WebexGrantRefused(err.details.oauthError ?? `http_${err.status}`, { status: err.status, trackingId: err.trackingId, description: err.details.webexMessage });
    }
    throw err;
  }
}
