import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { decodeBasicCredentials, splitAuthorization } from '../../src/appdirect/authorizationHeader';
import { constantTimeEqual } from '../../src/appdirect/constantTime';
import { createMemoryNonceStore } from '../../src/appdirect/nonceStore';
import { verifyOAuth1 } from '../../src/appdirect/oauth1';

export interface InboundCredentials {
  clientId: string;
  clientSecret: string;
  consumerKey?: string;
  consumerSecret?: string;
}

type Verdict = { ok: true } | { ok: false; reason: string };

/** The marketplace's side of the connector's calls: it issues bearer tokens and checks them (or OAuth 1.0a signatures). */
export function createMarketplaceAuth(inbound: InboundCredentials, tokenTtlSeconds: number) {
  const issued = new Map<string, number>();
  const nonces = createMemoryNonceStore();

  return {
    tokenTtlSeconds,

    /** Client credentials grant, as AppDirect's token endpoint: HTTP Basic client, scope ROLE_APPLICATION. */
    checkTokenRequest(req: Request): Verdict {
      const header = splitAuthorization(req.get('authorization'));
      const client = header?.scheme === 'basic' ? decodeBasicCredentials(header.credentials) : undefined;
      if (!client) return { ok: false, reason: 'client credentials must be sent as HTTP Basic' };
      const idMatches = constantTimeEqual(client.user, inbound.clientId);
      const secretMatches = constantTimeEqual(client.password, inbound.clientSecret);
      if (!idMatches || !secretMatches) return { ok: false, reason: 'invalid client' };
      const form = (req.body ?? {}) as Record<string, unknown>;
      if (form.grant_type !== 'client_credentials') return { ok: false, reason: 'grant_type must be client_credentials' };
      if (form.scope !== 'ROLE_APPLICATION') return { ok: false, reason: 'scope must be ROLE_APPLICATION' };
      return { ok: true };
    },

    issueToken(): string {
      const token = randomBytes(24).toString('base64url');
      issued.set(token, Date.now() + tokenTtlSeconds * 1000);
      return token;
    },

    async checkApiRequest(req: Request, marketplaceUrl: string): Promise<Verdict> {
      const header = splitAuthorization(req.get('authorization'));
      if (!header) return { ok: false, reason: 'missing Authorization header' };
      if (header.scheme === 'bearer') {
        const expiresAtMs = issued.get(header.credentials);
        if (expiresAtMs === undefined) return { ok: false, reason: 'unknown bearer token' };
        return expiresAtMs > Date.now() ? { ok: true } : { ok: false, reason: 'bearer token expired' };
      }
      if (header.scheme === 'oauth' && inbound.consumerKey !== undefined && inbound.consumerSecret !== undefined) {
        return verifyOAuth1({
          authorization: req.get('authorization'),
          method: req.method,
          url: new URL(req.originalUrl, marketplaceUrl),
          credentials: { consumerKey: inbound.consumerKey, consumerSecret: inbound.consumerSecret },
          nonces,
          nowMs: Date.now(),
        });
      }
      return { ok: false, reason: `unsupported authorization scheme ${header.scheme}` };
    },
  };
}

export type MarketplaceAuth = ReturnType<typeof createMarketplaceAuth>;
