import { FileHandle, open as openFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect, Transaction } from 'kysely';
import { CustomTypesConfig, Pool, types } from 'pg';
import { AccountMemory } from './accounts';
import { AdminSessions } from './adminSessions';
import type { DialectName } from './dialect';
import { EventJournal } from './eventJournal';
import { JobQueue } from './jobQueue';
import { migrations } from './migrations';
import { NonceLedger } from './nonces';
import { Accepted, Arrival, intakeBatches, NotificationIntake, writeArrivals } from './notificationIntake';
import type { Batches } from './batches';
import { ensurePrivateFile, ensurePrivateFolder, octal, restrictIfPresent } from './privateFiles';
import type { Tables } from './schema';
import { CredentialLedger } from './credentials';
import { GroupCommit } from './groupCommit';
import { InstanceRegistry } from './instances';
import { NamedLocks } from './namedLocks';
import { Reconciliations } from './reconciliations';
import { JournalRetention } from './retention';
import { autoCommitScope, Scope, StoreSignals } from './scope';

/** The parts of the store, as one transaction (or the database itself) sees them. */
export interface StoreParts {
  queue: JobQueue;
  journal: EventJournal;
  intake: NotificationIntake;
  nonces: NonceLedger;
  credentials: CredentialLedger;
  instances: InstanceRegistry;
  accounts: AccountMemory;
  adminSessions: AdminSessions;
  reconciliations: Reconciliations;
  retention: JournalRetention;
}

/**
 * The connector's durable state: a generic job queue, the event journal and the memory of each account, over SQLite (one process) or
 * PostgreSQL (any number of instances). Parts used directly commit each statement; `transaction` makes
 * several changes one commit.
 */
export interface Store extends StoreParts {
  readonly dialect: DialectName;
  /**
   * The database connection itself, for a well-kept library that brings its own tables (a rate limiter with a
   * store, say). Everything of the connector's own goes through the parts above.
   */
  readonly native: NativeConnection;
  transaction<T>(work: (tx: StoreParts) => Promise<T>): Promise<T>;
  /** Called after any commit that queued or rescheduled work in this process. */
  onWork(listener: () => void): () => void;
  /**
   * Runs `work` while no other holder of the same name, in this process or (on PostgreSQL) any instance, runs
   * its own: for work that must happen once however many instances want it at once (renewing a credential).
   */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;
  /**
   * Gives the space of deleted rows back to the file system, a slice at a time; returns the bytes given back.
   * SQLite only (PostgreSQL's autovacuum makes freed space reusable by itself): 0 there.
   */
  reclaimSpace(): Promise<number>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type NativeConnection = { dialect: 'sqlite'; database: Database.Database } | { dialect: 'postgres'; pool: Pool };

export interface StoreSettings {
  dataDir: string;
  /** The shared PostgreSQL store; without it, the embedded SQLite journal in dataDir. */
  databaseUrl?: string;
}

export interface StoreHooks {
  /** Errors of idle pooled PostgreSQL connections (the server restarted, the network dropped); the pool replaces them. */
  onIdleError?: (err: Error) => void;
  /** Something the operator should fix, though the store works (a data folder other users can read). */
  onWarning?: (message: string, fields: Record<string, unknown>) => void;
}

/** The journal's file in a data folder; the events CLI checks it is there rather than create an empty one. */
export const sqliteFileIn = (dataDir: string): string => path.join(dataDir, 'connector.sqlite');

/** Opens the store DATABASE_URL or DATA_DIR names and brings its schema up to date. */
export async function openStore(settings: StoreSettings, hooks: StoreHooks = {}): Promise<Store> {
  const { db, native } = settings.databaseUrl ? connectPostgres(settings.databaseUrl, hooks) : openSqlite(sqliteFileIn(settings.dataDir), hooks);
  try {
    await migrate(db, native.dialect);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return assemble(db, native);
}

function openSqlite(file: string, hooks: StoreHooks): { db: Kysely<Tables>; native: NativeConnection } {
  if (file !== ':memory:') keepPrivate(file, hooks);
  const database = new Database(file);
  // Durable before it is acknowledged: WAL, synced after every commit by the group commit (off the event loop)
  // rather than by SQLite within the commit; SQLite still syncs around its checkpoints.
  const logged = database.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  database.pragma(logged ? 'synchronous = NORMAL' : 'synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  // Statements are prepared once and reused: the same few queries run for every notification.
  const prepared = new Map<string, Database.Statement>();
  const cached = {
    close: () => database.close(),
    prepare: (text: string) => {
      let statement = prepared.get(text);
      if (!statement) {
        statement = database.prepare(text);
        prepared.set(text, statement);
      }
      return statement;
    },
  };
  return { db: new Kysely<Tables>({ dialect: new SqliteDialect({ database: cached }) }), native: { dialect: 'sqlite', database } };
}

/**
 * The journal holds customer names and e-mail addresses: its folder is created 0700 and the database 0600
 * whatever the umask. SQLite gives its write-ahead log and shared-memory files the database's own mode;
 * those an earlier release left readable are narrowed here too.
 */
function keepPrivate(file: string, hooks: StoreHooks): void {
  const dataDir = path.dirname(file);
  const { openToOthers } = ensurePrivateFolder(dataDir);
  if (openToOthers !== undefined) {
    hooks.onWarning?.(`the data folder can be read by other local users (mode ${octal(openToOthers)}) and the journal in it holds customer names and e-mail addresses: chmod 700 it`, { dataDir });
  }
  ensurePrivateFile(file);
  for (const side of ['-wal', '-shm']) restrictIfPresent(`${file}${side}`);
}

// Times are BIGINT milliseconds, far below 2^53, so they are safe as JavaScript numbers (pg's default is a string).
const parseTypes: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === types.builtins.INT8 ? Number : types.getTypeParser(oid, format))) as CustomTypesConfig['getTypeParser'],
};

function connectPostgres(connectionString: string, hooks: StoreHooks): { db: Kysely<Tables>; native: NativeConnection } {
  const pool = new Pool({ connectionString, types: parseTypes, connectionTimeoutMillis: 10_000, application_name: 'webex-appdirect-connector' });
  pool.on('error', (err) => hooks.onIdleError?.(err));
  return { db: new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }), native: { dialect: 'postgres', pool } };
}

async function migrate(db: Kysely<Tables>, dialect: DialectName): Promise<void> {
  // On PostgreSQL the migrator's own tables are named in the schema the connector works in: otherwise a
  // database holding other schemas (other deployments) could show it theirs.
  const migrationTableSchema = dialect === 'postgres' ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, migrationTableSchema, provider: { getMigrations: async () => migrations(dialect) } });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    if (failed === undefined && attempt < CATALOG_READS && isCatalogRace(error)) continue;
    throw new Error(`the store's schema could not be brought up to date${failed ? ` (step ${failed})` : ''}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Before it takes its lock, Kysely's migrator reads the tables of every schema in the database, resolving each by
 * name: a schema that another deployment (or test) drops at that moment fails the read with "schema … does not
 * exist" (or a table with "relation … does not exist"). Nothing was changed then, so the read is simply tried again.
 */
const CATALOG_READS = 5;
const isCatalogRace = (error: unknown): boolean => ['3F000', '42P01'].includes(String((error as { code?: unknown }).code));

/** A waiter in this process hears of results at once; results of other instances are only seen by polling. */
const OUTCOME_POLL_MS: Record<DialectName, number> = { sqlite: 1000, postgres: 200 };

function assemble(db: Kysely<Tables>, native: NativeConnection): Store {
  const { dialect } = native;
  const signals = new StoreSignals();
  const outcomePollMs = OUTCOME_POLL_MS[dialect];
  const parts = (scope: Scope, batches?: Batches<Arrival, Accepted>): StoreParts => ({
    queue: new JobQueue(scope),
    journal: new EventJournal(scope),
    intake: new NotificationIntake(scope, batches),
    nonces: new NonceLedger(scope),
    credentials: new CredentialLedger(scope),
    instances: new InstanceRegistry(scope),
    accounts: new AccountMemory(scope),
    adminSessions: new AdminSessions(scope),
    reconciliations: new Reconciliations(scope),
    retention: new JournalRetention(scope),
  });
  const locks = new NamedLocks(native);
  // SQLite: every change, in a transaction or not, joins a group commit. PostgreSQL groups commits itself.
  const wal = native.dialect === 'sqlite' ? writeAheadLog(native.database) : undefined;
  const group = wal ? new GroupCommit(db, () => wal.sync()) : undefined;
  const run = <T>(work: (trx: Transaction<Tables>) => Promise<T>): Promise<T> => (group ? group.submit(work) : db.transaction().execute(work));
  async function inTransaction<T>(work: (scope: Scope) => Promise<T>): Promise<T> {
    const announcements: Array<() => void> = [];
    const result = await run((trx) => work({ db: trx, dialect, signals, outcomePollMs, afterCommit: (announce) => announcements.push(announce) }));
    // Heard only once the change is committed.
    for (const announce of announcements) announce();
    return result;
  }
  const transaction = <T>(work: (tx: StoreParts) => Promise<T>): Promise<T> => inTransaction((scope) => work(parts(scope)));
  const directScope = autoCommitScope(db, dialect, signals, outcomePollMs);
  // Notifications outside a transaction are written in batches: on SQLite each batch is one unit of the group
  // commit, on PostgreSQL one statement that commits by itself.
  const batches = intakeBatches((arrivals) => (group ? inTransaction((scope) => writeArrivals(scope, arrivals)) : writeArrivals(directScope, arrivals)));
  const direct = parts(directScope, batches);
  return {
    dialect,
    native,
    ...(group ? { ...partsThrough(transaction, direct), intake: direct.intake } : direct),
    transaction,
    exclusive: (name, work) => locks.exclusive(name, work),
    reclaimSpace: () => (group && native.dialect === 'sqlite' ? reclaimSqliteSpace(native.database, group) : Promise.resolve(0)),
    onWork: (listener) => signals.onWork(listener),
    async ping() {
      await sql`SELECT 1`.execute(db);
    },
    async close() {
      await db.destroy();
      await wal?.close();
    },
  };
}

/**
 * fsync of the SQLite write-ahead log on libuv's thread pool, through a descriptor of its own (an fsync makes a
 * file's writes durable whichever descriptor made them). SQLite deletes the log only when its last connection
 * closes; should it be replaced all the same, the new one is opened. Without a log (an in-memory database, a
 * file system where WAL mode is refused), SQLite syncs within each commit itself (`synchronous=FULL`).
 */
function writeAheadLog(database: Database.Database): { sync(): Promise<void>; close(): Promise<void> } {
  if (database.pragma('journal_mode', { simple: true }) !== 'wal') return { sync: async () => undefined, close: async () => undefined };
  const file = `${database.name}-wal`;
  let handle: Promise<FileHandle> | undefined;
  return {
    async sync() {
      try {
        let log = await (handle ??= openFile(file, 'r'));
        if ((await log.stat()).nlink === 0) {
          await log.close();
          log = await (handle = openFile(file, 'r'));
        }
        await log.sync();
      } catch (err) {
        handle = undefined;
        throw err;
      }
    },
    async close() {
      await (await handle?.catch(() => undefined))?.close();
    },
  };
}

/**
 * The parts as callers use them outside a transaction, with each call made a unit of the group commit. Waiting
 * for an outcome is the one call that must not hold a transaction open: it reads through the other calls.
 */
function partsThrough(transaction: Store['transaction'], direct: StoreParts): Omit<StoreParts, 'intake'> {
  const through = <K extends keyof StoreParts>(part: K): StoreParts[K] => {
    const proxy: StoreParts[K] = new Proxy(direct[part], {
      get: (target, method) => {
        if (part === 'journal' && method === 'awaitOutcome') {
          const journal = proxy as EventJournal;
          return (token: string, budgetMs: number, signal?: AbortSignal) => direct.journal.awaitOutcomeVia((t) => journal.get(t), token, budgetMs, signal);
        }
        if (typeof Reflect.get(target, method) !== 'function') return Reflect.get(target, method);
        return (...args: unknown[]) => transaction((tx) => (tx[part] as unknown as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>)[method](...args));
      },
    });
    return proxy;
  };
  return {
    queue: through('queue'),
    journal: through('journal'),
    nonces: through('nonces'),
    credentials: through('credentials'),
    instances: through('instances'),
    accounts: through('accounts'),
    adminSessions: through('adminSessions'),
    reconciliations: through('reconciliations'),
    retention: through('retention'),
  };
}

/** Pages given back per commit: a few megabytes, so that no commit holds the file for long. */
const RECLAIM_PAGES = 2048;

/**
 * PRAGMA incremental_vacuum in slices, each a unit of the group commit (the one connection is inside its
 * transaction then). It runs through exec: a prepared statement would give back one page per execution.
 */
async function reclaimSqliteSpace(database: Database.Database, group: GroupCommit): Promise<number> {
  const pageSize = Number(database.pragma('page_size', { simple: true }));
  let freed = 0;
  for (;;) {
    const slice = await group.submit(async () => {
      const before = Number(database.pragma('freelist_count', { simple: true }));
      if (before > 0) database.exec(`PRAGMA incremental_vacuum(${RECLAIM_PAGES})`);
      return before - Number(database.pragma('freelist_count', { simple: true }));
    });
    freed += slice;
    if (slice < RECLAIM_PAGES) return freed * pageSize;
  }
}
