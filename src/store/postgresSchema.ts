import type { Pool } from 'pg';

/**
 * The schema of the shared store, as numbered migrations applied in order and recorded in
 * `schema_migrations`. Append new steps; never edit one that has shipped. JSON is kept as text and
 * times as BIGINT milliseconds, the same representation as the embedded store.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS events (
     token TEXT PRIMARY KEY,
     event_url TEXT NOT NULL,
     type TEXT,
     flag TEXT,
     account_id TEXT,
     event_json TEXT,
     phase TEXT NOT NULL,
     ack TEXT,
     result_json TEXT,
     delivery TEXT NOT NULL DEFAULT 'none',
     attempts INTEGER NOT NULL DEFAULT 0,
     checkpoint_json TEXT NOT NULL DEFAULT '{}',
     run_at BIGINT NOT NULL,
     lease_owner TEXT,
     lease_until BIGINT,
     last_error TEXT,
     received_at BIGINT NOT NULL,
     retried_at BIGINT,
     updated_at BIGINT NOT NULL,
     notifications INTEGER NOT NULL DEFAULT 1
   );
   CREATE INDEX IF NOT EXISTS events_due ON events (run_at) WHERE phase IN ('work', 'deliver');
   CREATE INDEX IF NOT EXISTS events_unanswered ON events (received_at) WHERE ack IS NULL;
   CREATE INDEX IF NOT EXISTS events_received ON events (received_at);
   CREATE TABLE IF NOT EXISTS timeline (
     id BIGSERIAL PRIMARY KEY,
     token TEXT NOT NULL,
     at BIGINT NOT NULL,
     kind TEXT NOT NULL,
     detail TEXT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS timeline_token ON timeline (token, id);
   CREATE TABLE IF NOT EXISTS nonces (
     key TEXT PRIMARY KEY,
     expires_at BIGINT NOT NULL
   );
   CREATE INDEX IF NOT EXISTS nonces_expiry ON nonces (expires_at);`,
];

// Any fixed number works; it only has to be the same in every instance of this connector.
const MIGRATION_LOCK_KEY = 5_014_002_417;

/**
 * Brings the schema up to date. Instances that start together queue on a session advisory lock, so
 * exactly one applies each step and the others find it recorded; each step commits with its record.
 */
export async function migrate(pool: Pool, now: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const { rows } = await client.query<{ version: number }>('SELECT COALESCE(MAX(version), 0)::int AS version FROM schema_migrations');
      for (let version = rows[0].version + 1; version <= MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        try {
          await client.query(MIGRATIONS[version - 1]);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, now]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
