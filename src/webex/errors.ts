/**
 * What went wrong talking to Webex, with what an operator needs to chase it:
 * the HTTP status, Webex's own message and the tracking ID that Cisco support asks for.
 */
export class WebexApiError extends Error {
  readonly name = 'WebexApiError';
  constructor(
    message: string,
    readonly details: {
      method: string;
      path: string;
      /** HTTP status, or undefined when no response arrived (timeout, reset, refused). */
      status?: number;
      trackingId?: string;
      /** Webex's own description(s) of the problem, joined. */
      webexMessage?: string;
      /** The OAuth error code of a token endpoint's answer, e.g. invalid_grant or invalid_client. */
      oauthError?: string;
      /** Set for 429/423 answers that said how long to wait. */
      retryAfterMs?: number;
      /** True when trying again later may succeed (429, 423, 5xx, network). */
      transient: boolean;
    },
  ) {
    super(message);
  }

  get status(): number | undefined {
    return this.details.status;
  }
  get trackingId(): string | undefined {
    return this.details.trackingId;
  }
  get transient(): boolean {
    return this.details.transient;
  }
}

/** A Webex answer that does not have the shape the contract promises. */
export class WebexResponseShapeError extends Error {
  readonly name = 'WebexResponseShapeError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly problem: string,
    readonly trackingId?: string,
  ) {
    super(`Webex answered ${method} ${path} with an unexpected body: ${problem}`);
  }
}

/** Which credential an operator must renew or correct. */
export type WebexCredential = 'client' | 'refresh_token' | 'access_token' | 'personal_token';

/**
 * No valid Webex token can be had with the credentials given: every way to renew was tried and refused
 * for good (not a network failure, which stays a transient WebexApiError). The message says which
 * credential to renew, by the name the operator knows it by; it never contains a token.
 */
export class WebexCredentialsError extends Error {
  readonly name = 'WebexCredentialsError';
  constructor(
    message: string,
    readonly details: {
      renew: WebexCredential;
      /** Where the operator supplies it, e.g. WEBEX_REFRESH_TOKEN or "personalAccessToken in token-config.json". */
      credentialName: string;
      /** Webex's OAuth error (invalid_grant, invalid_client) or HTTP status of the last refusal. */
      oauthError?: string;
      status?: number;
      trackingId?: string;
    },
  ) {
    super(message);
  }
}

/** The call's answer, or undefined when Webex says there is no such thing (404): gone is often what was wanted. */
export async function unlessNotFound<T>(call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof WebexApiError && err.status === 404) return undefined;
    throw err;
  }
}
