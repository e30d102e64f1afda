import type { Scope } from './scope';

/**
 * Sessions of the operator page, so that signing out ends a session on every instance. Each is kept under a key
 * the admin module derives from the session ID (the ID itself, which the browser's cookie holds, is not stored).
 */
export class AdminSessions {
  constructor(private readonly scope: Scope) {}

  /** Records a new session; sessions that have expired are removed on the way. */
  async open(key: string, expiresAt: number, now: number): Promise<void> {
    const { db } = this.scope;
    await db.deleteFrom('admin_sessions').where('expires_at', '<=', now).execute();
    await db.insertInto('admin_sessions').values({ key, created_at: now, expires_at: expiresAt, revoked_at: null }).execute();
  }

  /** Whether the session exists, has not expired and was not signed out of. */
  async isActive(key: string, now: number): Promise<boolean> {
    const row = await this.scope.db
      .selectFrom('admin_sessions')
      .select('key')
      .where('key', '=', key)
      .where('expires_at', '>', now)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Ends the session for good; false when it was not active. */
  async revoke(key: string, now: number): Promise<boolean> {
    const result = await this.scope.db
      .updateTable('admin_sessions')
      .set({ revoked_at: now })
      .where('key', '=', key)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
