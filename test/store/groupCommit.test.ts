import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { GroupCommit } from '../../src/store/groupCommit';
import { openStore } from '../../src/store';
import type { Tables } from '../../src/store/schema';
import { eventually } from '../support/harness';

/** A sync the test finishes by hand, counting those started. */
function heldSyncs() {
  const pending: Array<{ finish(): void; fail(error: Error): void }> = [];
  let started = 0;
  return {
    sync: () =>
      new Promise<void>((resolve, reject) => {
        started++;
        pending.push({ finish: resolve, fail: reject });
      }),
    get started() {
      return started;
    },
    next: () => pending.shift()!,
  };
}

describe('the SQLite group commit', () => {
  let dir: string;
  let database: Database.Database;
  let db: Kysely<Tables>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-'));
    database = new Database(path.join(dir, 'db.sqlite'));
    database.pragma('journal_mode = WAL');
    db = new Kysely<Tables>({ dialect: new SqliteDialect({ database }) });
    await sql`CREATE TABLE items (n INTEGER)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const insert = (n: number) => async (trx: Kysely<Tables>) => {
    await sql`INSERT INTO items VALUES (${n})`.execute(trx);
    return n;
  };
  const count = () => (database.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;

  test('a unit resolves only once a sync started after its commit has finished; one sync runs at a time', async () => {
    const syncs = heldSyncs();
    const group = new GroupCommit(db, syncs.sync);
    const settled: number[] = [];
    const first = group.submit(insert(1)).then((n) => settled.push(n));
    await eventually(async () => expect(syncs.started).toBe(1));
    expect(count()).toBe(1); // committed, not yet known to be on the disk: nobody has heard of it
    const second = group.submit(insert(2)).then((n) => settled.push(n));
    await eventually(async () => expect(count()).toBe(2));
    expect(syncs.started).toBe(1); // the second batch waits for the sync in flight to end before its own starts
    expect(settled).toEqual([]);

    syncs.next().finish();
    await first;
    expect(settled).toEqual([1]);
    await eventually(async () => expect(syncs.started).toBe(2));
    syncs.next().finish();
    await second;
    expect(settled).toEqual([1, 2]);
  });

  test('a sync that fails fails the units it was to cover; what they committed stays', async () => {
    const syncs = heldSyncs();
    const group = new GroupCommit(db, syncs.sync);
    const unit = group.submit(insert(7));
    await eventually(async () => expect(syncs.started).toBe(1));
    syncs.next().fail(new Error('EIO: i/o error, fsync'));
    await expect(unit).rejects.toThrow('EIO');
    expect(count()).toBe(1);
    const later = group.submit(insert(8));
    await eventually(async () => expect(syncs.started).toBe(2));
    syncs.next().finish();
    await expect(later).resolves.toBe(8);
  });
});

describe('the SQLite store on a file', () => {
  test('runs in WAL mode and leaves the syncing to the group commit', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-sync-'));
    const store = await openStore({ dataDir });
    try {
      if (store.native.dialect !== 'sqlite') throw new Error('expected SQLite');
      expect(store.native.database.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.native.database.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      await store.journal.record('t1', 'u', 1);
      expect(fs.existsSync(path.join(dataDir, 'connector.sqlite-wal'))).toBe(true);
      expect(await store.journal.get('t1')).toMatchObject({ token: 't1' });
    } finally {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
