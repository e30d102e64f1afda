import { decodeJwt, type JWTPayload } from 'jose';

/** The registered claims byods shows; Webex adds its own (com.cisco.*) which pass through. */
export type JwsClaims = JWTPayload;

/**
 * Reads the claims of a data source's JWS token WITHOUT verifying its signature (`byods verify` does
 * that): enough to show what Webex put in it. Undefined for anything that is not a compact JWS
 * with a JSON object payload.
 */
export function decodeClaims(jws: string | undefined): JwsClaims | undefined {
  if (!jws) return undefined;
  try {
    return decodeJwt(jws);
  } catch {
    return undefined;
  }
}
