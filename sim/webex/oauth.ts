import { randomBytes } from 'node:crypto';
import express, { Router, type Response } from 'express';
import type { SimContext } from './context';
import { injectFaults } from './faults';
import { trackingIdOf } from './http';

/**
 * Webex's OAuth 2.0 token service, as far as a connector meets it: `POST /v1/access_token` with
 * `grant_type=refresh_token` (form-encoded), access tokens that expire or are revoked (401 on the API),
 * refresh tokens that rotate, expire or are revoked (400 `invalid_grant`), and client credentials
 * checked on every grant (401 `invalid_client`). Tokens are minted here and known only here; the
 * static token of `WebexSimOptions.token` keeps working beside them.
 */

export interface SimOAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface SimOAuthOptions {
  /** Integrations (and service apps) allowed to use the refresh_token grant. */
  clients?: SimOAuthClient[];
  /** Lifetime of an access token, in seconds; default 14 days less a second, as Webex answers. */
  accessTokenLifetimeSeconds?: number;
  /** Lifetime of a refresh token, in seconds, renewed with each use; default 90 days less a second. */
  refreshTokenLifetimeSeconds?: number;
  /** True (the default): every grant answers a new refresh token and the one used is spent. False: the same one comes back. */
  rotateRefreshTokens?: boolean;
}

/** What the token endpoints answer, in Webex's field names. */
export interface SimTokenAnswer {
  access_token: string;
  expires_in: number;
  refresh_token: string;
  refresh_token_expires_in: number;
  token_type: 'Bearer';
}

interface AccessGrant {
  clientId: string;
  expiresAt: number;
  revoked: boolean;
}

interface RefreshGrant {
  clientId: string;
  expiresAt: number;
  /** Why it no longer works, once it does not. */
  ended?: 'revoked' | 'replaced';
}

export type AccessTokenState = 'valid' | 'expired' | 'revoked' | 'unknown';

/** Test hooks on the token service; `sim.oauth` exposes this. */
export interface SimOAuth {
  /** Adds a client (the BYODS routes add their service apps this way). */
  registerClient(client: SimOAuthClient): void;
  /** A fresh refresh token for `clientId`, as if an administrator had just authorised the integration. */
  grantRefreshToken(clientId: string): string;
  /** A new access and refresh token pair for `clientId` (what the application token endpoint hands out). */
  issue(clientId: string): SimTokenAnswer;
  /** From now on the token is refused: 400 invalid_grant for a refresh token, 401 for an access token (the static one too). */
  revoke(token: string): void;
  /** Moves every access token issued so far past its expiry (the static token is not affected). */
  expireAccessTokens(): void;
  accessTokenState(token: string): AccessTokenState;
  /** Successful refresh_token grants so far. */
  grantsServed(): number;
  /** Every access and refresh token minted so far: what a test searches logs and pages for. */
  everyToken(): string[];
}

const DEFAULT_ACCESS_SECONDS = 1_209_599;
const DEFAULT_REFRESH_SECONDS = 7_775_999;

interface OAuthFailure {
  status: 400 | 401;
  error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type';
  description: string;
}

const invalidGrant = (description: string): OAuthFailure => ({ status: 400, error: 'invalid_grant', description });

/** The token service's memory: which tokens exist, for whom, until when, and which were revoked or spent. */
export class SimTokenService implements SimOAuth {
  private readonly clients: Map<string, SimOAuthClient>;
  private readonly accessTokens = new Map<string, AccessGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  /** Tokens revoked that this service never issued: the static token of the simulator. */
  private readonly revokedOthers = new Set<string>();
  private readonly accessSeconds: number;
  private readonly refreshSeconds: number;
  private grants = 0;

  constructor(
    private readonly opts: SimOAuthOptions,
    private readonly now: () => number,
  ) {
    this.clients = new Map((opts.clients ?? []).map((client) => [client.clientId, client]));
    this.accessSeconds = opts.accessTokenLifetimeSeconds ?? DEFAULT_ACCESS_SECONDS;
    this.refreshSeconds = opts.refreshTokenLifetimeSeconds ?? DEFAULT_REFRESH_SECONDS;
  }

  registerClient(client: SimOAuthClient): void {
    this.clients.set(client.clientId, client);
  }

  grantRefreshToken(clientId: string): string {
    const token = mint('sim-refresh');
    this.refreshTokens.set(token, { clientId, expiresAt: this.now() + this.refreshSeconds * 1000 });
    return token;
  }

  issue(clientId: string): SimTokenAnswer {
    return this.answer(clientId, this.grantRefreshToken(clientId));
  }

  revoke(token: string): void {
    const refresh = this.refreshTokens.get(token);
    if (refresh) refresh.ended = 'revoked';
    const access = this.accessTokens.get(token);
    if (access) access.revoked = true;
    if (!refresh && !access) this.revokedOthers.add(token);
  }

  expireAccessTokens(): void {
    for (const grant of this.accessTokens.values()) grant.expiresAt = Math.min(grant.expiresAt, this.now() - 1);
  }

  accessTokenState(token: string): AccessTokenState {
    if (this.revokedOthers.has(token)) return 'revoked';
    const grant = this.accessTokens.get(token);
    if (!grant) return 'unknown';
    if (grant.revoked) return 'revoked';
    return this.now() >= grant.expiresAt ? 'expired' : 'valid';
  }

  grantsServed(): number {
    return this.grants;
  }

  everyToken(): string[] {
    return [...this.accessTokens.keys(), ...this.refreshTokens.keys()];
  }

  /** The refresh_token grant: checks the client, then the refresh token; rotates it unless told not to. */
  refresh(clientId: string, clientSecret: string, refreshToken: string): SimTokenAnswer | OAuthFailure {
    const client = this.clients.get(clientId);
    if (!client || client.clientSecret !== clientSecret) return { status: 401, error: 'invalid_client', description: 'The client ID or secret is not valid.' };
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.clientId !== clientId) return invalidGrant('The refresh token is not known for this client.');
    if (grant.ended) return invalidGrant(grant.ended === 'revoked' ? 'The refresh token was revoked.' : 'The refresh token was already used and replaced.');
    if (this.now() >= grant.expiresAt) return invalidGrant('The refresh token expired.');
    this.grants += 1;
    if (this.opts.rotateRefreshTokens ?? true) {
      grant.ended = 'replaced';
      return this.answer(clientId, this.grantRefreshToken(clientId));
    }
    // Using a refresh token keeps it alive.
    grant.expiresAt = this.now() + this.refreshSeconds * 1000;
    return this.answer(clientId, refreshToken);
  }

  private answer(clientId: string, refreshToken: string): SimTokenAnswer {
    const accessToken = mint('sim-access');
    this.accessTokens.set(accessToken, { clientId, expiresAt: this.now() + this.accessSeconds * 1000, revoked: false });
    const refreshExpiresAt = this.refreshTokens.get(refreshToken)?.expiresAt ?? this.now();
    return {
      access_token: accessToken,
      expires_in: this.accessSeconds,
      refresh_token: refreshToken,
      refresh_token_expires_in: Math.max(0, Math.floor((refreshExpiresAt - this.now()) / 1000)),
      token_type: 'Bearer',
    };
  }
}

function mint(prefix: string): string {
  return `${prefix}-${randomBytes(18).toString('base64url')}`;
}

/** OAuth errors are RFC 6749 bodies (`error`, `error_description`), with Webex's tracking ID. */
function sendOAuthError(res: Response, failure: OAuthFailure): void {
  res.status(failure.status).json({ error: failure.error, error_description: failure.description, trackingId: trackingIdOf(res) });
}

/** `POST /access_token`: mounted ahead of the bearer check, since the body carries the client's credentials. */
export function accessTokenRoutes(ctx: SimContext): Router {
  return Router().post('/access_token', injectFaults(ctx.faults), express.urlencoded({ extended: false }), (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    if (!req.is('application/x-www-form-urlencoded')) {
      return sendOAuthError(res, { status: 400, error: 'invalid_request', description: 'The body must be application/x-www-form-urlencoded.' });
    }
    if (field('grant_type') !== 'refresh_token') {
      return sendOAuthError(res, { status: 400, error: 'unsupported_grant_type', description: 'Only grant_type=refresh_token is supported by the simulator.' });
    }
    const missing = ['client_id', 'client_secret', 'refresh_token'].filter((name) => !field(name));
    if (missing.length) return sendOAuthError(res, { status: 400, error: 'invalid_request', description: `Missing ${missing.join(', ')}.` });
    const outcome = ctx.oauth.refresh(field('client_id'), field('client_secret'), field('refresh_token'));
    if ('error' in outcome) return sendOAuthError(res, outcome);
    res.json(outcome);
  });
}
