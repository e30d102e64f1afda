import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type { Logger } from '../log';
import { AppDirectError, errorForStatus } from './appDirectError';
import { jsonBody, send } from './appDirectHttp';
import { basicAuthorization } from './authorizationHeader';

// Renewed this long before AppDirect says it expires, so a token never runs out in the middle of a request.
const RENEWAL_MARGIN_MS = 60_000;
const ACTION = 'getting an AppDirect access token';

const tokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  // Without a lifetime the token is used for one request only: it falls inside the renewal margin at once.
  expires_in: z.coerce.number().nonnegative().optional(),
});

export interface AccessTokenSource {
  current(): Promise<string>;
  /** Forgets a token AppDirect refused, unless it was already replaced. */
  discard(token: string): void;
}

/** OAuth 2.0 client-credentials tokens for calling AppDirect, cached and shared by concurrent callers. */
export function createAccessTokenSource(opts: {
  marketplaceBaseUrl: string;
  clientId: string;
  clientSecret: string;
  http: AxiosInstance;
  logger: Logger;
  now: () => number;
}): AccessTokenSource {
  const tokenUrl = `${opts.marketplaceBaseUrl.replace(/\/+$/, '')}/oauth2/token`;
  let cached: { token: string; renewAtMs: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function requestToken(): Promise<string> {
    const response = await send(
      opts.http,
      {
        method: 'POST',
        url: tokenUrl,
        headers: {
          Authorization: basicAuthorization(opts.clientId, opts.clientSecret),
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        data: new URLSearchParams({ grant_type: 'client_credentials', scope: 'ROLE_APPLICATION' }).toString(),
      },
      ACTION,
    );
    opts.logger.debug({ status: response.status }, 'AppDirect token request');
    if (response.status < 200 || response.status >= 300) {
      throw errorForStatus(ACTION, response.status, response.headers['retry-after'], opts.now());
    }
    const answer = tokenAnswerSchema.safeParse(jsonBody(response, ACTION));
    if (!answer.success) {
      throw new AppDirectError('invalid_response', `${ACTION} failed: the answer has no usable access_token`, { status: response.status });
    }
    const lifetimeMs = (answer.data.expires_in ?? 0) * 1000;
    cached = { token: answer.data.access_token, renewAtMs: opts.now() + lifetimeMs - RENEWAL_MARGIN_MS };
    return answer.data.access_token;
  }

  return {
    current() {
      if (cached && opts.now() < cached.renewAtMs) return Promise.resolve(cached.token);
      inFlight ??= requestToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    discard(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
