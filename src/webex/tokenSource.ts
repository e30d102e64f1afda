import type { Logger } from '../log';
import { refreshAccessToken, WebexGrantRefused, type OAuthClient, type TokenGrant } from './accessTokenGrant';
import { createServiceAppToken } from './applicationTokens';
import { WebexApiError, WebexCredential, WebexCredentialsError } from './errors';
import { WebexHttp, type WebexHttpOptions } from './http';
import { tokenSeed, type StoredTokens, type TokenVault } from './tokenVault';

/** How the operator knows each credential, so a failure says exactly which one to renew. */
export interface CredentialNames {
  /** e.g. "WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET". */
  client: string;
  /** Where a new refresh token goes, e.g. "WEBEX_REFRESH_TOKEN". */
  refreshToken: string;
  /** e.g. "WEBEX_TOKEN". */
  accessToken?: string;
  /** e.g. "BYODS_PERSONAL_TOKEN" or "tokenManager.personalAccessToken in token-config.json". */
  personalToken?: string;
}

/** A service app to bootstrap from: `POST /applications/{appId}/token` authorised by a personal or integration token. */
export interface ServiceAppBootstrap {
  appId: string;
  targetOrgId: string;
  /** A personal or integration token with the spark:applications_token scope. */
  personalToken: string;
}

export interface WebexTokenSourceOptions {
  baseUrl: string;
  logger: Logger;
  names: CredentialNames;
  /** The integration or service app whose refresh tokens are renewed with `grant_type=refresh_token`. */
  client?: OAuthClient;
  /** The refresh token the operator supplied; tokens in the vault that descend from it take precedence. */
  refreshToken?: string;
  /** An access token the operator supplied, of unknown expiry: used until Webex refuses it or newer tokens are stored. */
  accessToken?: string;
  /** Used only when there is no working refresh token (and needs `client`, the service app's credentials). */
  bootstrap?: ServiceAppBootstrap;
  /** Without one, tokens live in memory only. */
  vault?: TokenVault;
  now?: () => number;
  /** How long before expiry an access token is renewed, at most half its lifetime; default one hour. */
  renewAheadMs?: number;
  /** For the HTTP calls to the token endpoints. */
  http?: Pick<WebexHttpOptions, 'timeoutMs' | 'sleep' | 'onCall' | 'onRetry' | 'maxAttempts' | 'backoffBaseMs'>;
}

/** What can be said about the tokens without showing one: for gauges and warnings. */
export interface TokenSourceState {
  /** False when only a fixed access token was given: nothing to renew it with. */
  renewable: boolean;
  accessExpiresAt?: number;
  refreshExpiresAt?: number;
}

const DEFAULT_RENEW_AHEAD_MS = 60 * 60_000;

/**
 * The one place the project gets Webex access tokens (the connector and byods alike). Plug `getToken` and
 * `refreshToken` into WebexHttp. In order it tries: the current access token while it is not due; the
 * refresh_token grant with the newest refresh token; a bootstrap through the service app's token endpoint;
 * then it throws WebexCredentialsError naming the credential to renew. Renewals are coalesced (one at a
 * time in this process, and one across processes when the vault offers `exclusive`); every token obtained
 * is saved in the vault. No token reaches a log line or an error message.
 */
export class WebexTokenSource {
  private current: StoredTokens | undefined;
  private staticToken: string | undefined;
  private loading: Promise<void> | undefined;
  private renewal: Promise<string> | undefined;
  private readonly refusedRefreshTokens = new Set<string>();
  private personalTokenRefusal: WebexApiError | undefined;
  private readonly seed: string;
  private readonly now: () => number;
  private readonly grantHttp: WebexHttp;
  private readonly bootstrapHttp: WebexHttp | undefined;

  constructor(private readonly opts: WebexTokenSourceOptions) {
    this.now = opts.now ?? Date.now;
    this.staticToken = opts.accessToken;
    this.seed = tokenSeed(opts.client?.clientId, opts.refreshToken);
    const http = { baseUrl: opts.baseUrl, logger: opts.logger, ...opts.http };
    this.grantHttp = new WebexHttp({ ...http, getToken: () => '' });
    const bootstrap = opts.bootstrap;
    this.bootstrapHttp = bootstrap && new WebexHttp({ ...http, getToken: () => bootstrap.personalToken });
  }

  /** The access token to send now; renews it first when it is due. */
  getToken = async (): Promise<string> => {
    await this.load();
    if (this.current && !this.isDue(this.current)) return this.current.accessToken;
    if (!this.current && this.staticToken !== undefined) return this.staticToken;
    return this.renew(undefined);
  };

  /**
   * Webex refused `rejectedToken` (a 401): a newer token when one was obtained meanwhile, else a renewal.
   * Callers that hit the 401 together share one renewal.
   */
  refreshToken = async (rejectedToken?: string): Promise<string> => {
    await this.load();
    const refused = rejectedToken ?? this.current?.accessToken ?? this.staticToken;
    if (refused !== undefined && refused === this.staticToken) this.staticToken = undefined;
    if (this.current && this.current.accessToken !== refused && !this.isDue(this.current)) return this.current.accessToken;
    return this.renew(refused);
  };

  get renewable(): boolean {
    return this.opts.client !== undefined;
  }

  state(): TokenSourceState {
    return { renewable: this.renewable, accessExpiresAt: this.current?.accessExpiresAt, refreshExpiresAt: this.current?.refreshExpiresAt };
  }

  private load(): Promise<void> {
    this.loading ??= this.readVault().then(
      (stored) => {
        if (stored) this.current = stored;
      },
      (err: unknown) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }

  /** Tokens in the vault, unless they descend from another credential than the one configured now. */
  private async readVault(): Promise<StoredTokens | undefined> {
    if (!this.opts.vault || !this.renewable) return undefined;
    const stored = await this.opts.vault.load();
    return stored?.seed === this.seed ? stored : undefined;
  }

  private isDue(tokens: StoredTokens): boolean {
    const lifetime = tokens.accessExpiresAt - tokens.obtainedAt;
    const ahead = Math.min(this.opts.renewAheadMs ?? DEFAULT_RENEW_AHEAD_MS, lifetime / 2);
    return this.now() >= tokens.accessExpiresAt - ahead;
  }

  private renew(refused: string | undefined): Promise<string> {
    this.renewal ??= this.exclusive(() => this.renewOnce(refused)).finally(() => (this.renewal = undefined));
    return this.renewal;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const vault = this.opts.vault;
    return vault?.exclusive && this.renewable ? vault.exclusive(work) : work();
  }

  private async renewOnce(refused: string | undefined): Promise<string> {
    // Another process may have renewed while this one waited: its tokens are as good as a new renewal's.
    const stored = await this.readVault();
    if (stored && stored.obtainedAt >= (this.current?.obtainedAt ?? 0)) {
      this.current = stored;
      if (stored.accessToken !== refused && !this.isDue(stored)) return stored.accessToken;
    }
    const askedAt = this.now();
    const { grant, via, refreshTokenUsed } = await this.obtain(refused);
    const tokens = this.tokensOf(grant, askedAt, refreshTokenUsed);
    this.current = tokens;
    // Kept before anything else: Webex may have spent the refresh token just used, so this is the only copy.
    await this.persist(tokens);
    this.opts.logger.info(
      { via, accessExpiresAt: new Date(tokens.accessExpiresAt).toISOString(), refreshExpiresAt: tokens.refreshExpiresAt && new Date(tokens.refreshExpiresAt).toISOString() },
      'Webex access token renewed',
    );
    return tokens.accessToken;
  }

  private async obtain(refused: string | undefined): Promise<{ grant: TokenGrant; via: 'refresh_token' | 'application_token'; refreshTokenUsed?: string }> {
    const client = this.opts.client;
    if (!client) throw this.noRenewal(refused);
    const refreshToken = this.usableRefreshToken();
    let refusal: WebexGrantRefused | 'expired' | undefined = refreshToken === undefined && this.refreshTokenExpired() ? 'expired' : undefined;
    if (refreshToken !== undefined) {
      try {
        return { grant: await refreshAccessToken(this.grantHttp, client, refreshToken), via: 'refresh_token', refreshTokenUsed: refreshToken };
      } catch (err) {
        if (!(err instanceof WebexGrantRefused)) throw err;
        if (err.code === 'invalid_client') throw this.clientRefused(err);
        this.refusedRefreshTokens.add(refreshToken);
        refusal = err;
      }
    }
    const bootstrap = this.opts.bootstrap;
    if (!bootstrap || !this.bootstrapHttp || this.personalTokenRefusal) throw this.refreshRefused(refusal);
    if (refusal) this.opts.logger.warn({ reason: describeRefusal(refusal) }, 'The Webex refresh token no longer works; obtaining new tokens with the personal token');
    try {
      return { grant: await createServiceAppToken(this.bootstrapHttp, { ...bootstrap, ...client }), via: 'application_token' };
    } catch (err) {
      if (!(err instanceof WebexApiError) || err.transient || err.status === undefined) throw err;
      this.personalTokenRefusal = err;
      throw this.refreshRefused(refusal);
    }
  }

  /** The newest refresh token, unless Webex refused it already or it is known to have expired. */
  private usableRefreshToken(): string | undefined {
    const candidate = this.current?.refreshToken ?? this.opts.refreshToken;
    if (candidate === undefined || this.refusedRefreshTokens.has(candidate) || this.refreshTokenExpired()) return undefined;
    return candidate;
  }

  private refreshTokenExpired(): boolean {
    const expiresAt = this.current?.refreshExpiresAt;
    return expiresAt !== undefined && this.now() >= expiresAt;
  }

  private tokensOf(grant: TokenGrant, askedAt: number, refreshTokenUsed: string | undefined): StoredTokens {
    const refreshToken = grant.refreshToken ?? refreshTokenUsed;
    const keptExpiry = grant.refreshToken === undefined ? this.current?.refreshExpiresAt : undefined;
    return {
      accessToken: grant.accessToken,
      accessExpiresAt: askedAt + grant.expiresInSeconds * 1000,
      obtainedAt: askedAt,
      ...(refreshToken !== undefined ? { refreshToken } : {}),
      ...(grant.refreshTokenExpiresInSeconds !== undefined
        ? { refreshExpiresAt: askedAt + grant.refreshTokenExpiresInSeconds * 1000 }
        : keptExpiry !== undefined
          ? { refreshExpiresAt: keptExpiry }
          : {}),
      seed: this.seed,
    };
  }

  /** A vault that cannot save must not cost the token just obtained; the next start renews again. */
  private async persist(tokens: StoredTokens): Promise<void> {
    if (!this.opts.vault) return;
    try {
      await this.opts.vault.save(tokens);
    } catch (err) {
      this.opts.logger.error({ reason: err instanceof Error ? err.message : String(err) }, 'Could not save the renewed Webex tokens');
    }
  }

  private noRenewal(refused: string | undefined): WebexCredentialsError {
    const names = this.opts.names;
    if (refused !== undefined && names.accessToken) {
      return credentialsError('access_token', names.accessToken, `Webex refused the access token in ${names.accessToken} (401): it has expired or was revoked. Renew ${names.accessToken}, or give ${names.client} and a refresh token (${names.refreshToken}) so it is renewed automatically.`);
    }
    return credentialsError('refresh_token', names.refreshToken, `No Webex credentials to obtain an access token with: give ${names.client} and a refresh token (${names.refreshToken})${names.accessToken ? `, or an access token (${names.accessToken})` : ''}.`);
  }

  private clientRefused(err: WebexGrantRefused): WebexCredentialsError {
    const names = this.opts.names;
    return credentialsError('client', names.client, `${err.message}: the client ID or secret is wrong. Correct ${names.client}.`, err);
  }

  /** The refresh token failed (or there was none) and no bootstrap could replace it. */
  private refreshRefused(refusal: WebexGrantRefused | 'expired' | undefined): WebexCredentialsError {
    const { names, bootstrap } = this.opts;
    const refreshPart =
      refusal === undefined ? 'There is no refresh token' : refusal === 'expired' ? describeRefusal(refusal) : `${describeRefusal(refusal)}: it has expired, was revoked or was replaced`;
    const personal = this.personalTokenRefusal;
    const grantDetails = refusal instanceof WebexGrantRefused ? refusal : undefined;
    if (!bootstrap || !names.personalToken) {
      const advice = refusal === undefined ? `: put one in ${names.refreshToken}` : `. Renew it: put a new refresh token in ${names.refreshToken}`;
      return credentialsError('refresh_token', names.refreshToken, `${refreshPart}${advice}.`, grantDetails);
    }
    const said = personal?.details.webexMessage ? `: ${personal.details.webexMessage}` : '';
    const tracking = personal?.trackingId ? ` [tracking ID ${personal.trackingId}]` : '';
    return new WebexCredentialsError(
      `${refreshPart}, and Webex refused a new service app token for application ${bootstrap.appId} with the personal token in ${names.personalToken} (${personal?.status ?? 'not tried'}${said})${tracking}. ` +
        `Renew ${names.personalToken} (a personal or integration token with the spark:applications_token scope), or put a new refresh token in ${names.refreshToken}; ` +
        `check ${names.client} and that a full admin of org ${bootstrap.targetOrgId} authorised the service app.`,
      { renew: 'personal_token', credentialName: names.personalToken, status: personal?.status, trackingId: personal?.trackingId, oauthError: grantDetails?.code },
    );
  }
}

function describeRefusal(refusal: WebexGrantRefused | 'expired'): string {
  return refusal === 'expired' ? 'The refresh token has expired' : refusal.message;
}

function credentialsError(renew: WebexCredential, credentialName: string, message: string, refusal?: WebexGrantRefused): WebexCredentialsError {
  return new WebexCredentialsError(message, { renew, credentialName, oauthError: refusal?.code, status: refusal?.details.status, trackingId: refusal?.details.trackingId });
}
