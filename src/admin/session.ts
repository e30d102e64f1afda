import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../appdirect/constantTime';

export const SESSION_COOKIE = 'connector_admin';
export const SESSION_MS = 12 * 3600_000;
/** The hidden form field of every state-changing form. */
export const CSRF_FIELD = '_csrf';

/**
 * A signed-in browser holds a random session ID (never the admin token). The store keeps the session under a key
 * derived from that ID with ADMIN_TOKEN, so reading the database signs nobody in and changing ADMIN_TOKEN signs
 * everyone out; signing out revokes it in the store, for every instance.
 */
export interface OperatorSession {
  id: string;
  /** The store's key for this session. */
  key: string;
  /** What every state-changing form of this session carries: derived from the session, unknown to other sites. */
  csrfToken: string;
}

export function newSession(adminToken: string): OperatorSession {
  return sessionOf(adminToken, randomBytes(32).toString('base64url'));
}

/** The session a cookie names, if it is shaped like one; whether it is active is the store's to say. */
export function sessionFromCookie(adminToken: string, cookieHeader: string | undefined): OperatorSession | undefined {
  const id = cookieValue(cookieHeader, SESSION_COOKIE);
  return id !== undefined && /^[\w-]{43}$/.test(id) ? sessionOf(adminToken, id) : undefined;
}

export function csrfTokenMatches(session: OperatorSession, offered: unknown): boolean {
  return typeof offered === 'string' && constantTimeEqual(offered, session.csrfToken);
}

function sessionOf(adminToken: string, id: string): OperatorSession {
  const derive = (purpose: string) => createHmac('sha256', adminToken).update(`operator-${purpose}:${id}`).digest('base64url');
  return { id, key: derive('session'), csrfToken: derive('csrf') };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
