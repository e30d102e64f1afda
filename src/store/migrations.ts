import { Kysely, Migration, sql } from 'kysely';
import type { DialectName } from './dialect';
import { withAutoId } from './dialect';

/**
 * The one list of schema changes, for SQLite and PostgreSQL alike, applied in order by Kysely's migrator
 * (under an advisory lock on PostgreSQL, so instances starting together apply each step once).
 * Append new steps; never edit one that has shipped: journals in the field have run it.
 */
export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001_journal': { up: (db) => journalAsFirstReleased(db, dialect) },
    '0002_job_queue': { up: (db) => splitQueueFromJournal(db) },
    '0003_admin_sessions': { up: (db) => adminSessions(db) },
    '0004_accounts': { up: (db) => accountMemory(db) },
    '0005_credentials': { up: (db) => credentialsTable(db) },
    '0006_reconciliation_retention': {
      up: async (db) => {
        await reconciliationTables(db, dialect);
        await retentionSupport(db, dialect);
      },
    },
    '0007_customer_location': { up: (db) => customerLocation(db) },
    '0008_instances': { up: (db) => instancesTable(db) },
  };
}

/**
 * The journal as the first release wrote it (one `events` table that was also the queue). A journal of that
 * release already has it, and so this step only fills in what its SQLite variant could lack; a new one gets it
 * here and is moved forward by the next steps like any other.
 */
async function journalAsFirstReleased(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('events')
    .ifNotExists()
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('event_url', 'text', (c) => c.notNull())
    .addColumn('type', 'text')
    .addColumn('flag', 'text')
    .addColumn('account_id', 'text')
    .addColumn('event_json', 'text')
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('ack', 'text')
    .addColumn('result_json', 'text')
    .addColumn('delivery', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('checkpoint_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('retried_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('notifications', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // The earliest SQLite journals predate the operator's retry (the shared store had it from the start).
  if (dialect === 'sqlite') {
    const columns = await sql<{ name: string }>`SELECT name FROM pragma_table_info('events')`.execute(db);
    if (!columns.rows.some((c) => c.name === 'retried_at')) await db.schema.alterTable('events').addColumn('retried_at', 'bigint').execute();
  }
  await db.schema.createIndex('events_received').ifNotExists().on('events').column('received_at').execute();
  await db.schema.createIndex('events_unanswered').ifNotExists().on('events').column('received_at').where(sql.ref('ack'), 'is', null).execute();

  await withAutoId(dialect, db.schema.createTable('timeline').ifNotExists(), 'id')
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('timeline_token').ifNotExists().on('timeline').columns(['token', 'id']).execute();

  await db.schema
    .createTable('nonces')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('nonces_expiry').ifNotExists().on('nonces').column('expires_at').execute();
}

interface LegacyEvent {
  token: string;
  phase: 'work' | 'deliver' | 'idle';
  attempts: number;
  checkpoint_json: string;
  run_at: number;
  last_error: string | null;
  delivery: string;
  received_at: number;
  updated_at: number;
}

const BATCH = 200;

/**
 * The queue leaves the journal: each event's work (and a pending delivery of its result) becomes a job of the
 * generic queue, keeping its checkpoint, attempts and due time; finished work stays as a finished job so that an
 * operator's retry still finds its checkpoint. Claims are not carried over: the starting instance owns nothing yet.
 */
async function splitQueueFromJournal(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('checkpoint_json', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_id', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('waiting_for', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['state', 'run_at']).execute();

  const legacy = (await db
    .selectFrom('events')
    .select(['token', 'phase', 'attempts', 'checkpoint_json', 'run_at', 'last_error', 'delivery', 'received_at', 'updated_at'])
    .execute()) as LegacyEvent[];
  const jobs = legacy.flatMap((e) => {
    const work = {
      id: `event:${e.token}`,
      kind: 'event.work',
      payload_json: JSON.stringify({ token: e.token }),
      state: e.phase === 'work' ? 'queued' : 'done',
      run_at: e.run_at,
      attempts: e.phase === 'work' ? e.attempts : 0,
      checkpoint_json: e.checkpoint_json,
      last_error: e.phase === 'work' ? e.last_error : null,
      created_at: e.received_at,
      updated_at: e.updated_at,
    };
    if (e.phase !== 'deliver') return [work];
    const delivery = { ...work, id: `deliver:${e.token}`, kind: 'event.deliver', state: 'queued', attempts: e.attempts, checkpoint_json: '{}', last_error: e.last_error };
    return [work, delivery];
  });
  for (let i = 0; i < jobs.length; i += BATCH) await db.insertInto('jobs').values(jobs.slice(i, i + BATCH)).execute();

  await db.schema.alterTable('events').addColumn('delivery_error', 'text').execute();
  await db.schema.alterTable('events').addColumn('finished_at', 'bigint').execute();
  await db
    .updateTable('events')
    .set({ delivery_error: sql.ref('last_error') })
    .where('delivery', '=', 'rejected')
    .execute();
  await db
    .updateTable('events')
    .set({ finished_at: sql.ref('updated_at') })
    .where('result_json', 'is not', null)
    .execute();
  await db.schema.dropIndex('events_due').ifExists().execute();
  for (const column of ['phase', 'attempts', 'checkpoint_json', 'run_at', 'lease_owner', 'lease_until', 'last_error']) {
    await db.schema.alterTable('events').dropColumn(column).execute();
  }
  // The first release's own record of PostgreSQL migrations; Kysely's migrator keeps that record now.
  await db.schema.dropTable('schema_migrations').ifExists().execute();
}

/** Operator page sessions in the store, so that signing out ends a session on every instance. */
async function adminSessions(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('admin_sessions')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('admin_sessions_expiry').on('admin_sessions').column('expires_at').execute();
}

/**
 * The connector's memory of each account: the subscription or add-on, its Webex customer, package, seats and
 * status, and the users it provisioned. Accounts provisioned before this step are adopted from Webex the first
 * time an event names them.
 */
async function accountMemory(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('parent_account_id', 'text')
    .addColumn('company_uuid', 'text')
    .addColumn('company_name', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('org_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('edition_code', 'text')
    .addColumn('package', 'text')
    .addColumn('package_level', 'text')
    .addColumn('added_to_customer', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('seats', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('accounts_parent').on('accounts').column('parent_account_id').execute();

  await db.schema
    .createTable('account_users')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('appdirect_uuid', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('subscriber_id', 'text')
    .addColumn('packages_json', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('extension', 'text')
    .addColumn('location_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('invited_at', 'bigint')
    .addColumn('last_invited_at', 'bigint')
    .addColumn('invitations_resent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resend_requested_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_users_pk', ['account_id', 'email'])
    .execute();
  await db.schema.createIndex('account_users_status').on('account_users').column('status').execute();
}

/** The newest tokens of each renewable credential, so that a restart or another instance continues with them. */
async function credentialsTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('credentials')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('secret_json', 'text', (c) => c.notNull())
    .addColumn('config_seed', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

/** What each reconciliation with Webex found, and every repair it made there (with Webex's tracking ID). */
async function reconciliationTables(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await withAutoId(dialect, db.schema.createTable('reconcile_runs'), 'id')
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('summary_json', 'text')
    .addColumn('report_json', 'text')
    .execute();
  await db.schema.createIndex('reconcile_runs_started').on('reconcile_runs').column('started_at').execute();

  await withAutoId(dialect, db.schema.createTable('repairs'), 'id')
    .addColumn('run_id', 'bigint', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text')
    .addColumn('email', 'text')
    .addColumn('drift_kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('tracking_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('repairs_run').on('repairs').column('run_id').execute();
}

/**
 * Retention removes finished events in batches, oldest first, keeping each account's newest event, and finished
 * jobs by age: indexes for those three questions. A SQLite file keeps its largest size unless pages freed by
 * deletions are given back: incremental auto-vacuum lets retention do that after each run (PRAGMA
 * incremental_vacuum). Switching it on for a file that already has tables takes one VACUUM, which rewrites the file
 * once (it needs free disk space up to the file's size); PostgreSQL's autovacuum reuses freed space by itself.
 */
async function retentionSupport(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema.createIndex('events_finished').on('events').column('finished_at').execute();
  await db.schema.createIndex('events_account_received').on('events').columns(['account_id', 'received_at']).execute();
  await db.schema.createIndex('jobs_finished').on('jobs').columns(['state', 'updated_at']).execute();
  if (dialect === 'sqlite') {
    await sql`PRAGMA auto_vacuum = INCREMENTAL`.execute(db);
    await sql`VACUUM`.execute(db);
  }
}

/** The calling location the connector uses for a customer, so a calling order need not list locations again. */
async function customerLocation(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').addColumn('location_id', 'text').execute();
}

/** Instances sharing the store, each seen recently: they divide the Webex rate between them. */
async function instancesTable(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('instances')
    .addColumn('instance_id', 'text', (c) => c.primaryKey())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
}
