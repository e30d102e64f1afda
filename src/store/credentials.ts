import type { Scope } from './scope';

/** What the store keeps of a credential: its secrets as their owner shaped them, and their lineage. */
export interface StoredCredential {
  secrets: unknown;
  /** The operator-supplied value these secrets descend from (a hash), or '*' for any. */
  configSeed: string;
  updatedAt: number;
}

/**
 * Secrets the connector obtained itself (renewed Webex tokens), kept so that a restart or another instance uses
 * the newest. The store's files are owner-only; nothing here is ever logged.
 */
export class CredentialLedger {
  constructor(private readonly scope: Scope) {}

  async load(name: string): Promise<StoredCredential | undefined> {
    const row = await this.scope.db.selectFrom('credentials').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? { secrets: JSON.parse(row.secret_json) as unknown, configSeed: row.config_seed, updatedAt: Number(row.updated_at) } : undefined;
  }

  async save(name: string, secrets: unknown, configSeed: string, now: number): Promise<void> {
    const values = { secret_json: JSON.stringify(secrets), config_seed: configSeed, updated_at: now };
    await this.scope.db
      .insertInto('credentials')
      .values({ name, ...values })
      .onConflict((oc) => oc.column('name').doUpdateSet(values))
      .execute();
  }
}
