import type { Request } from 'express';
import { decodeBasicCredentials, splitAuthorization } from './authorizationHeader';
import { constantTimeEqual } from './constantTime';
import type { NonceStore } from './nonceStore';
import { createNotificationTokens } from './notificationToken';
import { verifyOAuth1 } from './oauth1';

export { createMemoryNonceStore } from './nonceStore';
export type { NonceStore } from './nonceStore';

/** How AppDirect proves that a notification comes from it: the product's outbound credentials. */
export type NotificationAuthConfig =
  | { mode: 'basic'; username: string; password: string }
  | {
      mode: 'oauth1';
      consumerKey: string;
      consumerSecret: string;
      /** The URL AppDirect calls (e.g. https://abc.ngrok.app): behind a proxy the signed URL is rebuilt from it; else from the request's protocol and Host. */
      publicBaseUrl?: string;
    }
  | { mode: 'oauth2'; clientId: string; clientSecret: string; /** default 3600 */ tokenTtlSeconds?: number };

export type NotificationVerdict = { ok: true } | { ok: false; reason: string };

export interface NotificationVerifier {
  verify(req: Request): Promise<NotificationVerdict>;
  /** The `WWW-Authenticate` value of a 401 (RFC 9110 §11.6.1): which scheme this mode expects. */
  challenge: string;
}

/** The same realm as the Basic challenge of the token endpoint (inboundTokenRouter.ts). */
const NOTIFICATION_REALM = 'appdirect-notifications';

export function createNotificationVerifier(
  cfg: NotificationAuthConfig,
  deps: { nonces: NonceStore; now?: () => number },
): NotificationVerifier {
  const now = deps.now ?? Date.now;
  switch (cfg.mode) {
    case 'basic':
      return { challenge: `Basic realm="${NOTIFICATION_REALM}"`, verify: async (req) => verifyBasic(req, cfg) };
    case 'oauth1':
      return {
        challenge: `OAuth realm="${NOTIFICATION_REALM}"`,
        verify: async (req) => {
          const url = signedUrl(req, cfg.publicBaseUrl);
          if (!url) return { ok: false, reason: 'cannot rebuild the request URL to check its signature' };
          return verifyOAuth1({ authorization: req.get('authorization'), method: req.method, url, credentials: cfg, nonces: deps.nonces, nowMs: now() });
        },
      };
    case 'oauth2': {
      const tokens = createNotificationTokens(cfg);
      return {
        challenge: `Bearer realm="${NOTIFICATION_REALM}"`,
        verify: async (req) => {
          const header = splitAuthorization(req.get('authorization'));
          if (!header) return { ok: false, reason: 'missing Authorization header' };
          if (header.scheme !== 'bearer' || header.credentials === '') return { ok: false, reason: 'expected a Bearer token' };
          return tokens.verify(header.credentials, now());
        },
      };
    }
  }
}

function verifyBasic(req: Request, cfg: Extract<NotificationAuthConfig, { mode: 'basic' }>): NotificationVerdict {
  const header = splitAuthorization(req.get('authorization'));
  if (!header) return { ok: false, reason: 'missing Authorization header' };
  if (header.scheme !== 'basic') return { ok: false, reason: 'expected Basic authentication' };
  const credentials = decodeBasicCredentials(header.credentials);
  if (!credentials) return { ok: false, reason: 'malformed Basic credentials' };
  // Both comparisons always run, so the answer time does not tell which of the two was wrong.
  const userMatches = constantTimeEqual(credentials.user, cfg.username);
  const passwordMatches = constantTimeEqual(credentials.password, cfg.password);
  return userMatches && passwordMatches ? { ok: true } : { ok: false, reason: 'invalid credentials' };
}

/** The URL the sender signed: what AppDirect called, which differs from what this process sees behind a proxy. */
function signedUrl(req: Request, publicBaseUrl: string | undefined): URL | undefined {
  const host = req.get('host');
  const base = publicBaseUrl ? publicBaseUrl.replace(/\/+$/, '') : host && `${req.protocol}://${host}`;
  if (!base) return undefined;
  try {
    return new URL(`${base}${req.originalUrl}`);
  } catch {
    return undefined;
  }
}
