/** The registered claims byods shows; Webex adds its own (com.cisco.*) which pass through. */
export interface JwsClaims {
  aud?: string;
  sub?: string;
  iss?: string;
  exp?: number;
  iat?: number;
  [claim: string]: unknown;
}

/**
 * Reads the claims of a data source's JWS token WITHOUT verifying its signature.
 * Good enough to show what Webex put in it; the data-source endpoint is the one that must verify.
 * Returns undefined for anything that is not a compact JWS with a JSON object payload.
 */
export function decodeClaims(jws: string | undefined): JwsClaims | undefined {
  const parts = jws?.split('.');
  if (!parts || parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as JwsClaims) : undefined;
  } catch {
    return undefined;
  }
}
