import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AppDirectResult } from '../appdirect/results';
import { Row, toRecord } from './records';
import type { ProgressPatch, QueueStats, Store, TimelineEntry } from './types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
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
  run_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT,
  received_at INTEGER NOT NULL,
  retried_at INTEGER,
  updated_at INTEGER NOT NULL,
  notifications INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS events_due ON events (phase, run_at);
CREATE TABLE IF NOT EXISTS timeline (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  token TEXT NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS timeline_token ON timeline (token, id);
CREATE TABLE IF NOT EXISTS nonces (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
`;

/**
 * The embedded store: one SQLite file in DATA_DIR, written with full fsync so that an
 * acknowledged notification survives a crash. One process owns the file.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;

  constructor(file: string) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    addColumnIfMissing(this.db, 'events', 'retried_at', 'INTEGER');
  }

  static inDataDir(dataDir: string): SqliteStore {
    return new SqliteStore(SqliteStore.fileIn(dataDir));
  }

  /** The journal's file in a data folder; the events CLI checks it is there rather than create an empty one. */
  static fileIn(dataDir: string): string {
    return path.join(dataDir, 'connector.sqlite');
  }

  private row(token: string): Row | undefined {
    return this.db.prepare('SELECT * FROM events WHERE token = ?').get(token) as Row | undefined;
  }

  async recordNotification(token: string, eventUrl: string, now: number) {
    return this.db.transaction(() => {
      const existing = this.row(token);
      if (existing) {
        this.db.prepare('UPDATE events SET notifications = notifications + 1, updated_at = ? WHERE token = ?').run(now, token);
        return { record: toRecord({ ...existing, notifications: existing.notifications + 1 }), created: false };
      }
      this.db
        .prepare(`INSERT INTO events (token, event_url, phase, run_at, received_at, updated_at) VALUES (?, ?, 'work', ?, ?, ?)`)
        .run(token, eventUrl, now, now, now);
      return { record: toRecord(this.row(token)!), created: true };
    })();
  }

  async get(token: string) {
    const row = this.row(token);
    return row ? toRecord(row) : undefined;
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number) {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare(
          `SELECT token FROM events WHERE phase IN ('work','deliver') AND run_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY run_at LIMIT ?`,
        )
        .all(now, now, limit) as Array<{ token: string }>;
      const claim = this.db.prepare('UPDATE events SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE token = ?');
      return rows.map(({ token }) => {
        claim.run(owner, now + leaseMs, now, token);
        return toRecord(this.row(token)!);
      });
    })();
  }

  async claim(token: string, owner: string, now: number, leaseMs: number) {
    const changed = this.db
      .prepare(
        `UPDATE events SET lease_owner = ?, lease_until = ?, updated_at = ? WHERE token = ? AND phase IN ('work','deliver') AND run_at <= ? AND (lease_until IS NULL OR lease_until < ?)`,
      )
      .run(owner, now + leaseMs, now, token, now, now).changes;
    return changed ? toRecord(this.row(token)!) : undefined;
  }

  async saveProgress(token: string, owner: string, patch: ProgressPatch, now: number) {
    const sets: string[] = ['updated_at = @now'];
    if (patch.type !== undefined) sets.push('type = @type');
    if (patch.flag !== undefined) sets.push('flag = @flag');
    if (patch.accountId !== undefined) sets.push('account_id = @accountId');
    if (patch.event !== undefined) sets.push('event_json = @event');
    if (patch.checkpoint !== undefined) sets.push('checkpoint_json = @checkpoint');
    const changed = this.db.prepare(`UPDATE events SET ${sets.join(', ')} WHERE token = @token AND lease_owner = @owner`).run({
      now,
      token,
      owner,
      type: patch.type ?? null,
      flag: patch.flag ?? null,
      accountId: patch.accountId ?? null,
      event: patch.event === undefined ? null : JSON.stringify(patch.event),
      checkpoint: patch.checkpoint === undefined ? null : JSON.stringify(patch.checkpoint),
    }).changes;
    return changed > 0;
  }

  async reschedule(token: string, owner: string, opts: { runAt: number; failed: boolean; lastError?: string }, now: number) {
    const changed = this.db
      .prepare(
        `UPDATE events SET run_at = ?, attempts = attempts + ?, last_error = COALESCE(?, last_error), lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE token = ? AND lease_owner = ?`,
      )
      .run(opts.runAt, opts.failed ? 1 : 0, opts.lastError ?? null, now, token, owner).changes;
    return changed > 0;
  }

  async complete(token: string, owner: string, result: AppDirectResult, now: number) {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE events SET result_json = ?, phase = CASE WHEN ack = 'async' THEN 'deliver' ELSE 'idle' END,
             delivery = CASE WHEN ack = 'async' THEN 'pending' ELSE delivery END,
             run_at = ?, attempts = 0, lease_owner = NULL, lease_until = NULL, updated_at = ?
           WHERE token = ? AND lease_owner = ? AND phase = 'work'`,
        )
        .run(JSON.stringify(result), now, now, token, owner).changes;
      return changed ? toRecord(this.row(token)!) : undefined;
    })();
  }

  async ackSync(token: string, now: number) {
    const changed = this.db.prepare(`UPDATE events SET ack = 'sync', updated_at = ? WHERE token = ? AND (ack IS NULL OR ack = 'sync')`).run(now, token).changes;
    return changed > 0;
  }

  async ackAsync(token: string, now: number) {
    return this.db.transaction(() => {
      // A result that is already there is answered in the response instead of being promised for later.
      this.db
        .prepare(
          `UPDATE events SET ack = CASE WHEN result_json IS NULL THEN 'async' ELSE 'sync' END, updated_at = ? WHERE token = ? AND ack IS NULL`,
        )
        .run(now, token);
      return toRecord(this.row(token)!);
    })();
  }

  async markDelivered(token: string, owner: string, now: number) {
    this.db
      .prepare(`UPDATE events SET delivery = 'delivered', phase = 'idle', attempts = 0, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE token = ? AND lease_owner = ?`)
      .run(now, token, owner);
  }

  async markDeliveryRejected(token: string, owner: string, reason: string, now: number) {
    this.db
      .prepare(`UPDATE events SET delivery = 'rejected', phase = 'idle', last_error = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE token = ? AND lease_owner = ?`)
      .run(reason, now, token, owner);
  }

  async adoptUnanswered(olderThan: number, now: number) {
    return this.db
      .prepare(
        `UPDATE events SET ack = 'async',
           phase = CASE WHEN phase = 'idle' AND result_json IS NOT NULL THEN 'deliver' ELSE phase END,
           delivery = CASE WHEN result_json IS NOT NULL THEN 'pending' ELSE delivery END,
           run_at = CASE WHEN phase = 'idle' THEN ? ELSE run_at END, updated_at = ?
         WHERE ack IS NULL AND received_at < ?`,
      )
      .run(now, now, olderThan).changes;
  }

  async releaseStaleClaims(now: number) {
    return this.db.prepare('UPDATE events SET lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE lease_owner IS NOT NULL').run(now).changes;
  }

  async addTimeline(token: string, kind: string, detail: string, now: number) {
    this.db.prepare('INSERT INTO timeline (token, at, kind, detail) VALUES (?, ?, ?, ?)').run(token, now, kind, detail);
  }

  async timeline(token: string): Promise<TimelineEntry[]> {
    return this.db.prepare('SELECT at, kind, detail FROM timeline WHERE token = ? ORDER BY id').all(token) as TimelineEntry[];
  }

  async useNonce(key: string, expiresAt: number, now: number) {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM nonces WHERE expires_at < ?').run(now);
      return this.db.prepare('INSERT OR IGNORE INTO nonces (key, expires_at) VALUES (?, ?)').run(key, expiresAt).changes > 0;
    })();
  }

  async recent(limit: number) {
    return (this.db.prepare('SELECT * FROM events ORDER BY received_at DESC LIMIT ?').all(limit) as Row[]).map(toRecord);
  }

  async queueStats(): Promise<QueueStats> {
    const rows = this.db
      .prepare(`SELECT phase, COUNT(*) AS count, MIN(received_at) AS oldest FROM events WHERE phase IN ('work','deliver') GROUP BY phase`)
      .all() as Array<{ phase: 'work' | 'deliver'; count: number; oldest: number }>;
    const stats: QueueStats = { work: { count: 0 }, deliver: { count: 0 } };
    for (const row of rows) stats[row.phase] = { count: row.count, oldestReceivedAt: row.oldest };
    return stats;
  }

  async requeue(token: string, now: number) {
    const changed = this.db
      .prepare(
        `UPDATE events SET phase = 'work', ack = 'async', result_json = NULL, delivery = 'none', attempts = 0, last_error = NULL,
           run_at = @now, retried_at = @now, lease_owner = NULL, lease_until = NULL, updated_at = @now
         WHERE token = @token AND phase = 'idle'`,
      )
      .run({ now, token }).changes;
    return changed > 0;
  }

  async close() {
    this.db.close();
  }
}

/** Journals written by an older version lack columns added since; SQLite adds them in place. */
function addColumnIfMissing(db: Database.Database, table: string, column: string, type: string): void {
  const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>;
  if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}
