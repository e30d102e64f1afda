import { CustomTypesConfig, Pool, types } from 'pg';
import type { AppDirectResult } from '../appdirect/results';
import { migrate } from './postgresSchema';
import { Row, toRecord } from './records';
import type { EventRecord, ProgressPatch, QueueStats, Store, TimelineEntry } from './types';

// Times are BIGINT milliseconds, far below 2^53, so they are safe as JavaScript numbers (pg's default is a string).
const parseTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === types.builtins.INT8 ? Number : types.getTypeParser(oid, format))) as CustomTypesConfig['getTypeParser'],
};

export interface PostgresStoreOptions {
  /** Errors of idle pooled connections (the server restarted, the network dropped); the pool replaces them. */
  onIdleError?: (err: Error) => void;
}

/**
 * The shared store: any number of connector instances use one PostgreSQL database. Every change is
 * decided by a single statement (an UPDATE re-checks its WHERE on the newest row version once it holds
 * the row lock), so two instances never both win a claim, and ackSync/ackAsync/complete race as they
 * do in SQLite. Claims held by a dead instance are taken over when their lease expires.
 */
export class PostgresStore implements Store {
  private constructor(private readonly pool: Pool) {}

  /** Connects and brings the schema up to date; safe when several instances start at once. */
  static async connect(connectionString: string, now: number, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new Pool({ connectionString, types: parseTypes, connectionTimeoutMillis: 10_000, application_name: 'webex-appdirect-connector' });
    pool.on('error', (err) => opts.onIdleError?.(err));
    try {
      await migrate(pool, now);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool);
  }

  private async rows(sql: string, params: unknown[]): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, params)).rows;
  }

  private async changed(sql: string, params: unknown[]): Promise<number> {
    return (await this.pool.query(sql, params)).rowCount ?? 0;
  }

  private async one(sql: string, params: unknown[]): Promise<EventRecord | undefined> {
    const [row] = await this.rows(sql, params);
    return row ? toRecord(row) : undefined;
  }

  async recordNotification(token: string, eventUrl: string, now: number) {
    // xmax is 0 only on a row this statement inserted; a repeat updates the existing row instead.
    const { rows } = await this.pool.query<Row & { created: boolean }>(
      `INSERT INTO events (token, event_url, phase, run_at, received_at, updated_at) VALUES ($1, $2, 'work', $3, $3, $3)
       ON CONFLICT (token) DO UPDATE SET notifications = events.notifications + 1, updated_at = $3
       RETURNING *, (xmax = 0) AS created`,
      [token, eventUrl, now],
    );
    return { record: toRecord(rows[0]), created: rows[0].created };
  }

  async get(token: string) {
    return this.one('SELECT * FROM events WHERE token = $1', [token]);
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number) {
    // SKIP LOCKED: instances polling at the same moment each take different events instead of queueing.
    const rows = await this.rows(
      `WITH due AS (
         SELECT token FROM events
          WHERE phase IN ('work', 'deliver') AND run_at <= $2 AND (lease_until IS NULL OR lease_until < $2)
          ORDER BY run_at LIMIT $4 FOR UPDATE SKIP LOCKED)
       UPDATE events SET lease_owner = $1, lease_until = $3, updated_at = $2 FROM due WHERE events.token = due.token
       RETURNING events.*`,
      [owner, now, now + leaseMs, limit],
    );
    return rows.map(toRecord).sort((a, b) => a.runAt - b.runAt);
  }

  async claim(token: string, owner: string, now: number, leaseMs: number) {
    return this.one(
      `UPDATE events SET lease_owner = $2, lease_until = $4, updated_at = $3
        WHERE token = $1 AND phase IN ('work', 'deliver') AND run_at <= $3 AND (lease_until IS NULL OR lease_until < $3)
       RETURNING *`,
      [token, owner, now, now + leaseMs],
    );
  }

  async saveProgress(token: string, owner: string, patch: ProgressPatch, now: number) {
    const params: unknown[] = [token, owner, now];
    const sets = ['updated_at = $3'];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.type !== undefined) set('type', patch.type);
    if (patch.flag !== undefined) set('flag', patch.flag);
    if (patch.accountId !== undefined) set('account_id', patch.accountId);
    if (patch.event !== undefined) set('event_json', JSON.stringify(patch.event));
    if (patch.checkpoint !== undefined) set('checkpoint_json', JSON.stringify(patch.checkpoint));
    return (await this.changed(`UPDATE events SET ${sets.join(', ')} WHERE token = $1 AND lease_owner = $2`, params)) > 0;
  }

  async reschedule(token: string, owner: string, opts: { runAt: number; failed: boolean; lastError?: string }, now: number) {
    const changed = await this.changed(
      `UPDATE events SET run_at = $3, attempts = attempts + $4, last_error = COALESCE($5, last_error), lease_owner = NULL, lease_until = NULL, updated_at = $6
        WHERE token = $1 AND lease_owner = $2`,
      [token, owner, opts.runAt, opts.failed ? 1 : 0, opts.lastError ?? null, now],
    );
    return changed > 0;
  }

  async complete(token: string, owner: string, result: AppDirectResult, now: number) {
    // ack is read from the row version this UPDATE locked, so a concurrent ackAsync is either seen or sees the result.
    return this.one(
      `UPDATE events SET result_json = $3, phase = CASE WHEN ack = 'async' THEN 'deliver' ELSE 'idle' END,
         delivery = CASE WHEN ack = 'async' THEN 'pending' ELSE delivery END,
         run_at = $4, attempts = 0, lease_owner = NULL, lease_until = NULL, updated_at = $4
        WHERE token = $1 AND lease_owner = $2 AND phase = 'work'
       RETURNING *`,
      [token, owner, JSON.stringify(result), now],
    );
  }

  async ackSync(token: string, now: number) {
    return (await this.changed(`UPDATE events SET ack = 'sync', updated_at = $2 WHERE token = $1 AND (ack IS NULL OR ack = 'sync')`, [token, now])) > 0;
  }

  async ackAsync(token: string, now: number) {
    // A result that is already there is answered in the response instead of being promised for later.
    const changed = await this.one(
      `UPDATE events SET ack = CASE WHEN result_json IS NULL THEN 'async' ELSE 'sync' END, updated_at = $2 WHERE token = $1 AND ack IS NULL RETURNING *`,
      [token, now],
    );
    // Otherwise the promise was made before; a new statement reads it as committed.
    return changed ?? (await this.get(token))!;
  }

  async markDelivered(token: string, owner: string, now: number) {
    await this.changed(
      `UPDATE events SET delivery = 'delivered', phase = 'idle', attempts = 0, lease_owner = NULL, lease_until = NULL, updated_at = $3 WHERE token = $1 AND lease_owner = $2`,
      [token, owner, now],
    );
  }

  async markDeliveryRejected(token: string, owner: string, reason: string, now: number) {
    await this.changed(
      `UPDATE events SET delivery = 'rejected', phase = 'idle', last_error = $3, lease_owner = NULL, lease_until = NULL, updated_at = $4 WHERE token = $1 AND lease_owner = $2`,
      [token, owner, reason, now],
    );
  }

  async adoptUnanswered(olderThan: number, now: number) {
    return this.changed(
      `UPDATE events SET ack = 'async',
         phase = CASE WHEN phase = 'idle' AND result_json IS NOT NULL THEN 'deliver' ELSE phase END,
         delivery = CASE WHEN result_json IS NOT NULL THEN 'pending' ELSE delivery END,
         run_at = CASE WHEN phase = 'idle' THEN $1 ELSE run_at END, updated_at = $1
        WHERE ack IS NULL AND received_at < $2`,
      [now, olderThan],
    );
  }

  /** Other instances may be working: only claims whose lease has run out are freed (claimDue would take them anyway). */
  async releaseStaleClaims(now: number) {
    return this.changed('UPDATE events SET lease_owner = NULL, lease_until = NULL, updated_at = $1 WHERE lease_owner IS NOT NULL AND lease_until < $1', [now]);
  }

  async addTimeline(token: string, kind: string, detail: string, now: number) {
    await this.changed('INSERT INTO timeline (token, at, kind, detail) VALUES ($1, $2, $3, $4)', [token, now, kind, detail]);
  }

  async timeline(token: string): Promise<TimelineEntry[]> {
    return (await this.pool.query<TimelineEntry>('SELECT at, kind, detail FROM timeline WHERE token = $1 ORDER BY id', [token])).rows;
  }

  async useNonce(key: string, expiresAt: number, now: number) {
    await this.changed('DELETE FROM nonces WHERE expires_at < $1', [now]);
    // One statement decides, whoever else is inserting the same nonce: an expired one may be used again.
    const fresh = await this.changed(
      `INSERT INTO nonces (key, expires_at) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE nonces.expires_at < $3`,
      [key, expiresAt, now],
    );
    return fresh > 0;
  }

  async recent(limit: number) {
    return (await this.rows('SELECT * FROM events ORDER BY received_at DESC LIMIT $1', [limit])).map(toRecord);
  }

  async queueStats(): Promise<QueueStats> {
    const { rows } = await this.pool.query<{ phase: 'work' | 'deliver'; count: number; oldest: number }>(
      `SELECT phase, COUNT(*) AS count, MIN(received_at) AS oldest FROM events WHERE phase IN ('work', 'deliver') GROUP BY phase`,
    );
    const stats: QueueStats = { work: { count: 0 }, deliver: { count: 0 } };
    for (const row of rows) stats[row.phase] = { count: row.count, oldestReceivedAt: row.oldest };
    return stats;
  }

  async requeue(token: string, now: number) {
    const changed = await this.changed(
      `UPDATE events SET phase = 'work', ack = 'async', result_json = NULL, delivery = 'none', attempts = 0, last_error = NULL,
         run_at = $2, retried_at = $2, lease_owner = NULL, lease_until = NULL, updated_at = $2
        WHERE token = $1 AND phase = 'idle'`,
      [token, now],
    );
    return changed > 0;
  }

  async close() {
    await this.pool.end();
  }
}
