import type { Scope } from './scope';

/** Nonces of signed notifications (OAuth 1.0a), each usable once until it expires. */
export class NonceLedger {
  constructor(private readonly scope: Scope) {}

  /** Records the nonce; false when it was used before and has not expired. */
  async useOnce(key: string, expiresAt: number, now: number): Promise<boolean> {
    const { db } = this.scope;
    await db.deleteFrom('nonces').where('expires_at', '<', now).execute();
    // One statement decides, whoever else is inserting the same nonce at the same moment.
    const result = await db
      .insertInto('nonces')
      .values({ key, expires_at: expiresAt })
      .onConflict((oc) => oc.column('key').doUpdateSet({ expires_at: expiresAt }).where('nonces.expires_at', '<', now))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
