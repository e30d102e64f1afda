import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../appdirect/constantTime';

export const SESSION_COOKIE = 'connector_admin';
export const SESSION_MS = 12 * 3600_000;

/**
 * A signed-in browser holds `issuedAt.mac`, an HMAC keyed by ADMIN_TOKEN: never the token itself, no
 * server-side session table, and changing ADMIN_TOKEN signs everyone out.
 */
export function issueSession(adminToken: string, now: number): string {
  return `${now}.${mac(adminToken, now)}`;
}

export function sessionIsValid(adminToken: string, cookie: string | undefined, now: number): boolean {
  const match = /^(\d{1,15})\.([\w-]+)$/.exec(cookie ?? '');
  if (!match) return false;
  const issuedAt = Number(match[1]);
  if (now - issuedAt > SESSION_MS || issuedAt > now + 60_000) return false;
  return constantTimeEqual(match[2], mac(adminToken, issuedAt));
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function mac(adminToken: string, issuedAt: number): string {
  return createHmac('sha256', adminToken).update(`operator-session:${issuedAt}`).digest('base64url');
}
