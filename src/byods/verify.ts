import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ExplainedError } from './failures';
import { readJsonFile } from './jsonFile';
import { decodeClaims } from './jwt';

/** Public keys to check a signature with, and how to name where they came from. */
export interface KeySet {
  getKey: JWTVerifyGetKey;
  description: string;
}

export interface Expected {
  audience: string;
  subject: string;
}

export interface Verdict {
  valid: boolean;
  /** Why not, or what was checked. */
  reason: string;
  header?: { alg?: string; kid?: string };
  /** As decoded; verified only when `valid`. */
  claims?: JWTPayload;
}

/** Webex signs with asymmetric keys only: a token claiming HS256 or `none` is refused before any key is tried. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
/** A data-source token lives at most 1440 minutes. */
const MAX_TOKEN_AGE_SECONDS = 1440 * 60;
/** Clocks disagree a little; Webex's and the data-source owner's are no exception. */
const CLOCK_TOLERANCE_SECONDS = 60;

export function remoteKeySet(url: string): KeySet {
  return { getKey: createRemoteJWKSet(new URL(url), { timeoutDuration: 10_000 }), description: `Webex's key set at ${url}` };
}

/** A saved key set, to verify with no network (the file holds public keys only). */
export function keySetFromFile(path: string): KeySet {
  const content = readJsonFile(path, 'the key set');
  try {
    return { getKey: createLocalJWKSet(content as JSONWebKeySet), description: `the key set in ${path}` };
  } catch {
    throw new ExplainedError(`${path} is not a JSON Web Key Set (an object with a "keys" array).`);
  }
}

/**
 * Checks a data-source token as its endpoint should before trusting a call from Webex: the signature by
 * a key of the key set, `exp` not passed, `iat` within the last 24 hours and not in the future, and
 * `aud`/`sub` those of the data source. The verdict always says why; only a key set that cannot be
 * fetched is thrown, since then nothing can be said about the token.
 */
export async function verifyDataSourceToken(jws: string, expected: Expected, keys: KeySet, now: Date): Promise<Verdict> {
  const claims = decodeClaims(jws);
  const header = protectedHeader(jws);
  try {
    await jwtVerify(jws, keys.getKey, {
      algorithms: ALGORITHMS,
      audience: expected.audience,
      subject: expected.subject,
      requiredClaims: ['exp', 'iat'],
      maxTokenAge: MAX_TOKEN_AGE_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now,
    });
  } catch (err) {
    return { valid: false, reason: refusal(err, { header, claims, expected, keys }), header, claims };
  }
  const expiresAt = new Date((claims?.exp ?? 0) * 1000).toISOString();
  return { valid: true, reason: `signed by ${keys.description} (key ${header?.kid ?? 'without ID'}), for audience "${expected.audience}" and subject "${expected.subject}", valid until ${expiresAt}`, header, claims };
}

function protectedHeader(jws: string): Verdict['header'] {
  try {
    const { alg, kid } = decodeProtectedHeader(jws);
    return { alg, kid };
  } catch {
    return undefined;
  }
}

function refusal(err: unknown, ctx: { header: Verdict['header']; claims: JWTPayload | undefined; expected: Expected; keys: KeySet }): string {
  if (err instanceof errors.JWSSignatureVerificationFailed) return `the signature does not match the key of ${ctx.keys.description}: the token was altered or forged`;
  if (err instanceof errors.JWKSNoMatchingKey) return `${ctx.keys.description} has no key ${ctx.header?.kid ? `with the token's key ID "${ctx.header.kid}"` : 'for this token'}: Webex did not sign it`;
  if (err instanceof errors.JOSEAlgNotAllowed) return `it is signed with ${ctx.header?.alg ?? 'an unknown algorithm'}, which Webex does not use`;
  if (err instanceof errors.JWTExpired) {
    if (err.claim === 'iat') return 'it was issued more than 24 hours ago, longer than a data-source token lives';
    return `it expired at ${new Date((ctx.claims?.exp ?? 0) * 1000).toISOString()}`;
  }
  if (err instanceof errors.JWTClaimValidationFailed) return claimRefusal(err, ctx);
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return `it is not a well-formed signed token (${err.message})`;
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || err instanceof TypeError || (err instanceof errors.JOSEError && /JSON Web Key Set/.test(err.message))) {
    throw new ExplainedError(`Could not get ${ctx.keys.description} (${(err as Error).message}); check the network, or verify offline with --jwks FILE.`);
  }
  throw err;
}

function claimRefusal(err: InstanceType<typeof errors.JWTClaimValidationFailed>, ctx: { claims: JWTPayload | undefined; expected: Expected }): string {
  if (err.reason === 'missing') return `its ${err.claim} claim is missing`;
  if (err.claim === 'aud') return `its audience is ${JSON.stringify(ctx.claims?.aud)}, not "${ctx.expected.audience}"`;
  if (err.claim === 'sub') return `its subject is ${JSON.stringify(ctx.claims?.sub)}, not "${ctx.expected.subject}"`;
  if (err.claim === 'iat') return 'its issue time (iat) is in the future';
  if (err.claim === 'nbf') return 'it is not valid yet (nbf)';
  return `its ${err.claim} claim is not valid (${err.message})`;
}
