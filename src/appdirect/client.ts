import type { AxiosInstance, Method } from 'axios';
import type { Logger } from '../log';
import type { CallObserver } from '../metrics/observers';
import { createAccessTokenSource } from './accessTokens';
import { AppDirectError, errorForStatus } from './appDirectError';
import { createAppDirectHttp, jsonBody, send } from './appDirectHttp';
import { parseEventUrl, resultUrlFor } from './eventUrl';
import { oauth1Authorization } from './oauth1';
import type { AppDirectResult } from './results';

export { AppDirectError } from './appDirectError';
export type { AppDirectErrorKind } from './appDirectError';

/** How the connector authenticates its own calls to AppDirect (reading events, posting results). */
export type InboundAuthConfig =
  | { mode: 'oauth2'; clientId: string; clientSecret: string }
  | { mode: 'oauth1'; consumerKey: string; consumerSecret: string };

export interface AppDirectClient {
  fetchEvent(eventUrl: URL): Promise<unknown>;
  postResult(token: string, result: AppDirectResult): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;

interface RequestAuthorizer {
  authorization(method: Method, url: string): Promise<string>;
  /** Called when AppDirect answered 401; true when fresh credentials are worth one more attempt. */
  refused(authorization: string): boolean;
}

export function createAppDirectClient(opts: {
  marketplaceBaseUrl: string;
  auth: InboundAuthConfig;
  timeoutMs?: number;
  /** The largest answer read from AppDirect (events are the largest); 1 MiB by default. */
  maxEventBytes?: number;
  logger: Logger;
  now?: () => number;
  /** Told of every request to AppDirect (tokens, events, results), for metrics. */
  onCall?: CallObserver;
}): AppDirectClient {
  const now = opts.now ?? Date.now;
  const http = createAppDirectHttp({ timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxResponseBytes: opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES, onCall: opts.onCall });
  const authorizer = authorizerFor(opts.auth, { marketplaceBaseUrl: opts.marketplaceBaseUrl, http, logger: opts.logger, now });

  async function call(request: { method: Method; url: string; eventToken: string; action: string; data?: unknown }) {
    const attempt = async (authorization: string) => {
      const startedMs = Date.now();
      const response = await send(
        http,
        { method: request.method, url: request.url, data: request.data, headers: { Authorization: authorization, Accept: 'application/json' } },
        request.action,
      );
      opts.logger.debug(
        { eventToken: request.eventToken, method: request.method, status: response.status, durationMs: Date.now() - startedMs },
        'AppDirect request',
      );
      return response;
    };

    const firstAuthorization = await authorizer.authorization(request.method, request.url);
    let response = await attempt(firstAuthorization);
    if (response.status === 401 && authorizer.refused(firstAuthorization)) {
      response = await attempt(await authorizer.authorization(request.method, request.url));
    }
    if (response.status < 200 || response.status >= 300) {
      throw errorForStatus(request.action, response.status, response.headers['retry-after'], now());
    }
    return response;
  }

  return {
    async fetchEvent(eventUrl) {
      // Checked again here, whatever the caller did: a token or signature must never leave for another host.
      const checked = parseEventUrl(eventUrl.href, opts.marketplaceBaseUrl);
      if (!checked.ok) throw new AppDirectError('rejected', `refusing to fetch the event: ${checked.reason}`);
      const action = 'fetching the event';
      const response = await call({ method: 'GET', url: checked.eventUrl.href, eventToken: checked.token, action });
      return jsonBody(response, action);
    },

    async postResult(token, result) {
      const url = resultUrlFor(opts.marketplaceBaseUrl, token);
      await call({ method: 'POST', url, eventToken: token, action: 'posting the event result', data: result });
    },
  };
}

function authorizerFor(
  auth: InboundAuthConfig,
  deps: { marketplaceBaseUrl: string; http: AxiosInstance; logger: Logger; now: () => number },
): RequestAuthorizer {
  if (auth.mode === 'oauth1') {
    return {
      authorization: async (method, url) => oauth1Authorization(auth, method, url, deps.now()),
      // A refused signature would be refused again: same key, same secret.
      refused: () => false,
    };
  }
  const tokens = createAccessTokenSource({ ...deps, clientId: auth.clientId, clientSecret: auth.clientSecret });
  return {
    authorization: async () => `Bearer ${await tokens.current()}`,
    refused(authorization) {
      tokens.discard(authorization.slice('Bearer '.length));
      return true;
    },
  };
}
