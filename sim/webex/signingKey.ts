import { generateKeyPairSync, randomBytes, sign, type JsonWebKey, type KeyObject } from 'node:crypto';

/** Where the simulator serves its public key set: the path of Webex's own (`https://idbroker.webex.com/idb/oauth2/v2/keys/verificationjwk`). */
export const SIM_JWKS_PATH = '/idb/oauth2/v2/keys/verificationjwk';

export interface SigningKey {
  kid: string;
  /** A compact JWS (RS256) of `claims`, as Webex signs data-source tokens. */
  sign(claims: Record<string, unknown>): string;
  /** `{ keys: [public JWK] }`: what a verifier fetches. */
  jwks: { keys: JsonWebKey[] };
}

/** A fresh RSA key pair; a test can make a second one (even with the same key ID) to forge a token no Webex key signed. */
export function createSigningKey(kid = `webex-sim-${randomBytes(4).toString('hex')}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    kid,
    sign: (claims) => signCompact(claims, privateKey, kid),
    jwks: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] },
  };
}

function signCompact(claims: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(claims)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
}
