import { createHmac, randomBytes } from 'node:crypto';
import { splitAuthorization } from './authorizationHeader';
import { constantTimeEqual } from './constantTime';
import type { NonceStore } from './nonceStore';

/**
 * Two-legged OAuth 1.0a with HMAC-SHA1 (consumer key and secret, no token), as AppDirect uses it in both
 * directions, written from RFC 5849. One implementation for signing and verifying, so the connector and the
 * simulator cannot drift apart; tests check it against the RFC's own example and an independent signer.
 */
export interface OAuth1Credentials {
  consumerKey: string;
  consumerSecret: string;
}

export type OAuth1Verdict = { ok: true } | { ok: false; reason: string };

/** A request parameter; names may repeat, so parameters are a list, never an object. */
export type OAuthParameter = [name: string, value: string];

const TIMESTAMP_WINDOW_SECONDS = 300;
// Longer than the whole timestamp window, so a nonce cannot be replayed while its timestamp is still accepted.
const NONCE_RETENTION_MS = 10 * 60_000;
const PROTOCOL_PREFIX = 'oauth_';

export function oauth1Authorization(credentials: OAuth1Credentials, method: string, url: string | URL, nowMs = Date.now()): string {
  const protocol: OAuthParameter[] = [
    ['oauth_consumer_key', credentials.consumerKey],
    ['oauth_nonce', randomBytes(16).toString('hex')],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', String(Math.floor(nowMs / 1000))],
    ['oauth_version', '1.0'],
  ];
  const signature = hmacSha1(credentials, signatureBaseString(method, new URL(url), protocol));
  return `OAuth ${[...protocol, ['oauth_signature', signature]].map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`).join(', ')}`;
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
  const inHeader = parseAuthorizationParameters(header.credentials);
  if (!inHeader) return { ok: false, reason: 'malformed OAuth Authorization header' };
  // RFC 5849 §3.5: protocol parameters travel one way only. Otherwise the signature could cover one set and the
  // nonce and timestamp checks read another, which is how a captured request was replayed.
  if ([...check.url.searchParams.keys()].some((name) => name.startsWith(PROTOCOL_PREFIX))) {
    return { ok: false, reason: 'OAuth protocol parameters in more than one place (the Authorization header and the query)' };
  }

  const protocol = new Map(inHeader);
  const consumerKey = protocol.get('oauth_consumer_key');
  if (!consumerKey || !constantTimeEqual(consumerKey, check.credentials.consumerKey)) return { ok: false, reason: 'unknown consumer key' };
  if (protocol.get('oauth_signature_method') !== 'HMAC-SHA1') return { ok: false, reason: 'unsupported signature method' };
  const version = protocol.get('oauth_version');
  if (version !== undefined && version !== '1.0') return { ok: false, reason: 'unsupported OAuth version' };
  const timestamp = protocol.get('oauth_timestamp');
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed timestamp' };
  if (Math.abs(check.nowMs / 1000 - Number(timestamp)) > TIMESTAMP_WINDOW_SECONDS) return { ok: false, reason: 'timestamp outside the ±5 minute window' };
  const nonce = protocol.get('oauth_nonce');
  if (!nonce) return { ok: false, reason: 'missing nonce' };
  const signature = protocol.get('oauth_signature');
  if (!signature) return { ok: false, reason: 'missing signature' };

  // realm and the signature itself are not signed (RFC 5849 §3.4.1.3.1); everything else in the header is.
  const signed = inHeader.filter(([name]) => name !== 'oauth_signature' && name !== 'realm');
  if (!constantTimeEqual(signature, hmacSha1(check.credentials, signatureBaseString(check.method, check.url, signed)))) {
    return { ok: false, reason: 'signature mismatch' };
  }
  // Recorded only after the signature holds, so forged requests cannot use up a legitimate sender's nonces.
  const fresh = await check.nonces.useOnce(`oauth1:${check.credentials.consumerKey}:${nonce}`, check.nowMs + NONCE_RETENTION_MS);
  return fresh ? { ok: true } : { ok: false, reason: 'nonce already used' };
}

/**
 * RFC 5849 §3.4.1: the method, the base string URI (lower-case scheme and host, no default port, no query) and
 * every parameter — the query's, decoded as a form, and the given ones — encoded, sorted by name then value, and
 * kept when repeated.
 */
export function signatureBaseString(method: string, url: URL, parameters: OAuthParameter[]): string {
  const normalized = [...url.searchParams, ...parameters]
    .map(([name, value]) => [percentEncode(name), percentEncode(value)])
    .sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const baseUri = `${url.protocol}//${url.host}${url.pathname}`;
  return [method.toUpperCase(), percentEncode(baseUri), percentEncode(normalized)].join('&');
}

/** RFC 5849 §3.4.2 with no token: the key is the encoded consumer secret and "&". */
function hmacSha1(credentials: OAuth1Credentials, baseString: string): string {
  return createHmac('sha1', `${percentEncode(credentials.consumerSecret)}&`).update(baseString).digest('base64');
}

// Encoded parameters are ASCII, so comparing code units is the byte order the RFC asks for.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** RFC 5849 §3.6: every UTF-8 byte outside the unreserved set as %XX, upper-case. Never throws. */
function percentEncode(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/**
 * Parses `realm="…", oauth_x="…"` (RFC 5849 §3.5.1): values are percent-encoded, so commas only separate. Only
 * realm and oauth_ parameters belong here, each once.
 */
function parseAuthorizationParameters(credentials: string): OAuthParameter[] | undefined {
  const parameters: OAuthParameter[] = [];
  for (const part of credentials.split(',')) {
    const match = /^\s*([^\s="]+)\s*=\s*"([^"]*)"\s*$/.exec(part);
    if (!match) return undefined;
    const [name, value] = [safeDecode(match[1]), safeDecode(match[2])];
    if (name === undefined || value === undefined) return undefined;
    if (name !== 'realm' && !name.startsWith(PROTOCOL_PREFIX)) return undefined;
    if (parameters.some(([seen]) => seen === name)) return undefined;
    parameters.push([name, value]);
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
