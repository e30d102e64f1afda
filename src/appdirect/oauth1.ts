import OAuth from 'oauth-1.0a';
import { createHmac, randomBytes } from 'node:crypto';
import { splitAuthorization } from './authorizationHeader';
import { constantTimeEqual } from './constantTime';
import type { NonceStore } from './nonceStore';

/**
 * Two-legged OAuth 1.0a with HMAC-SHA1 (consumer key and secret, no token), as AppDirect uses it in both
 * directions. One implementation for signing and verifying, so the connector and the simulator cannot drift apart.
 */
export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
}

export type OAuth1Verdict = { ok: true } | { ok: false; reason: string };

const TIMESTAMP_WINDOW_SECONDS = 300;
// Longer than the whole timestamp window, so a nonce cannot be replayed while its timestamp is still accepted.
const NONCE_RETENTION_MS = 10 * 60_000;

type OAuthParameters = Record<string, string>;

export function oauth1Authorization(credentials: OAuth1Credentials, method: string, url: string | URL, nowMs = Date.now()): string {
  const target = new URL(url);
  const parameters: OAuthParameters = {
    oauth_consumer_key: credentials.consumerKey,
    oauth_nonce: randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(nowMs / 1000)),
    oauth_version: '1.0',
  };
  const oauth_signature = signatureFor(credentials, method, target, parameters);
  return signerFor(credentials).toHeader({ ...parameters, oauth_signature } as unknown as OAuth.Authorization).Authorization;
}

export async function verifyOAuth1(check: {
  authorization: string | undefined;
  method: string;
  /** The URL as the sender signed it, query included. */
  url: URL;
  credentials: OAuth1Credentials;
  nonces: NonceStore;
  nowMs: number;
}): Promise<OAuth1Verdict> {
  const header = splitAuthorization(check.authorization);
  if (!header) return { ok: false, reason: 'missing Authorization header' };
  if (header.scheme !== 'oauth') return { ok: false, reason: 'expected OAuth authorization' };
  const parameters = parseOAuthParameters(header.credentials);
  if (!parameters) return { ok: false, reason: 'malformed OAuth Authorization header' };

  const { oauth_consumer_key, oauth_signature_method, oauth_version, oauth_timestamp, oauth_nonce, oauth_signature } = parameters;
  if (!oauth_consumer_key || !constantTimeEqual(oauth_consumer_key, check.credentials.consumerKey)) {
    return { ok: false, reason: 'unknown consumer key' };
  }
  if (oauth_signature_method !== 'HMAC-SHA1') return { ok: false, reason: 'unsupported signature method' };
  if (oauth_version !== undefined && oauth_version !== '1.0') return { ok: false, reason: 'unsupported OAuth version' };
  if (!oauth_timestamp || !/^\d+$/.test(oauth_timestamp)) return { ok: false, reason: 'missing or malformed timestamp' };
  if (Math.abs(check.nowMs / 1000 - Number(oauth_timestamp)) > TIMESTAMP_WINDOW_SECONDS) {
    return { ok: false, reason: 'timestamp outside the ±5 minute window' };
  }
  if (!oauth_nonce) return { ok: false, reason: 'missing nonce' };
  if (!oauth_signature) return { ok: false, reason: 'missing signature' };

  // realm and the signature itself are not part of what was signed (RFC 5849 §3.4.1.3.1).
  const signed = Object.fromEntries(Object.entries(parameters).filter(([name]) => name !== 'oauth_signature' && name !== 'realm'));
  const expected = signatureFor(check.credentials, check.method, check.url, signed);
  if (!constantTimeEqual(oauth_signature, expected)) return { ok: false, reason: 'signature mismatch' };

  // Recorded only after the signature holds, so forged requests cannot use up a legitimate sender's nonces.
  const fresh = await check.nonces.useOnce(`oauth1:${check.credentials.consumerKey}:${oauth_nonce}`, check.nowMs + NONCE_RETENTION_MS);
  return fresh ? { ok: true } : { ok: false, reason: 'nonce already used' };
}

function signerFor(credentials: OAuth1Credentials): OAuth {
  return new OAuth({
    consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (baseString, key) => createHmac('sha1', key).update(baseString).digest('base64'),
  });
}

/** RFC 5849 §3.4.1: the base string URL is lower-case scheme and host, no default port, no query; query parameters are signed as parameters. */
function signatureFor(credentials: OAuth1Credentials, method: string, url: URL, oauthParameters: OAuthParameters): string {
  const baseUrl = `${url.protocol}//${url.host}${url.pathname}`;
  // The package merges into the objects it is given, hence the copies.
  const request = { url: baseUrl, method, data: queryParameters(url) };
  return signerFor(credentials).getSignature(request, undefined, { ...oauthParameters } as unknown as OAuth.Data);
}

function queryParameters(url: URL): Record<string, string | string[]> {
  // Null prototype: parameter names come from the sender, and `__proto__` must stay an ordinary key.
  const collected: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of url.searchParams) {
    const existing = collected[name];
    if (existing === undefined) collected[name] = value;
    else collected[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return collected;
}

/** Parses `realm="…", oauth_x="…"` (RFC 5849 §3.5.1); values are percent-encoded, so commas only separate. */
function parseOAuthParameters(credentials: string): OAuthParameters | undefined {
  const parameters: OAuthParameters = Object.create(null);
  for (const part of credentials.split(',')) {
    const match = /^\s*([^\s="]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!match) return undefined;
    const [name, value] = [safeDecode(match[1]), safeDecode(match[2])];
    if (name === undefined || value === undefined || Object.hasOwn(parameters, name)) return undefined;
    parameters[name] = value;
  }
  return parameters;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}
