import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { constantTimeEqual } from './constantTime';

/**
 * Bearer tokens the connector issues to AppDirect for its notifications. They are self-contained and
 * HMAC-signed with a key derived from the client secret, so any instance sharing the configuration can
 * check them without shared storage, and rotating the secret revokes every token already issued.
 */
export interface NotificationClient {
  clientId: string;
  clientSecret: string;
}

export type TokenVerdict = { ok: true } | { ok: false; reason: string };

const FORMAT_VERSION = 'v1';

interface TokenClaims {
  cid: string;
  iat: number;
  exp: number;
  jti: string;
}

export function createNotificationTokens(client: NotificationClient) {
  // A derived key rather than the secret itself, so the secret is never used directly as a MAC key elsewhere.
  const key = Buffer.from(hkdfSync('sha256', client.clientSecret, 'appdirect-connector', 'notification-bearer-token-v1', 32));
  const sign = (encodedClaims: string) => createHmac('sha256', key).update(`${FORMAT_VERSION}.${encodedClaims}`).digest('base64url');

  return {
    issue(nowMs: number, ttlSeconds: number): string {
      const claims: TokenClaims = {
        cid: client.clientId,
        iat: Math.floor(nowMs / 1000),
        exp: Math.floor(nowMs / 1000) + ttlSeconds,
        jti: randomBytes(12).toString('base64url'),
      };
      const encodedClaims = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
      return `${FORMAT_VERSION}.${encodedClaims}.${sign(encodedClaims)}`;
    },

    verify(token: string, nowMs: number): TokenVerdict {
      const [version, encodedClaims, signature, ...rest] = token.split('.');
      if (version !== FORMAT_VERSION || !encodedClaims || !signature || rest.length > 0) {
        return { ok: false, reason: 'malformed token' };
      }
      if (!constantTimeEqual(signature, sign(encodedClaims))) return { ok: false, reason: 'token signature mismatch' };
      const claims = decodeClaims(encodedClaims);
      if (!claims || claims.cid !== client.clientId) return { ok: false, reason: 'malformed token' };
      if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'token expired' };
      return { ok: true };
    },
  };
}

function decodeClaims(encoded: string): TokenClaims | undefined {
  try {
    const claims = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    if (typeof claims.cid !== 'string' || typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return undefined;
    return claims as TokenClaims;
  } catch {
    return undefined;
  }
}
