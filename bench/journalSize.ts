import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { assignEvent, orderEvent } from '../sim/appdirect/events';
import { success } from '../src/appdirect/results';
import { deliveryJob, workJob } from '../src/jobs/eventJobs';
import { applyRetention } from '../src/jobs/retention';
import { openStore, sqliteFileIn, Store, StoreParts } from '../src/store';
import { describeMachine } from './machine';
import { DATABASE_URL_VARIABLE } from './options';
import { freshSchema, withoutPassword } from './postgres';

/**
 * How large the journal gets per 10,000 events, and what retention leaves of it: fills a journal with events as
 * the connector leaves them (the fetched AppDirect event, a job with its checkpoint, a result, a delivery for half
 * of them, five timeline lines, an account with its users), all finished 100 days ago, five events per account;
 * measures it; applies a 90-day retention (each account's newest event stays) and measures again.
 *
 *   npm run bench:journal -- [--events N] [--database-url postgres://…]
 */
const DAY = 24 * 3600_000;
const EVENTS_PER_ACCOUNT = 5;
const BATCH = 500;

/** Bytes on disk as the store left them, and (PostgreSQL) after VACUUM FULL: the live rows alone. */
interface Size {
  bytes: number;
  compacted?: number;
}

interface Measure {
  store: 'SQLite' | 'PostgreSQL';
  events: number;
  before: Size;
  eventsAfter: number;
  after: Size;
  fillSeconds: number;
  retentionSeconds: number;
}

async function fill(store: Store, events: number, finishedAt: number): Promise<void> {
  for (let start = 0; start < events; start += BATCH) {
    await store.transaction(async (tx) => {
      for (let i = start; i < Math.min(events, start + BATCH); i++) await oneEvent(tx, i, finishedAt + i);
    });
  }
}

async function oneEvent(tx: StoreParts, i: number, at: number): Promise<void> {
  const token = randomUUID();
  const accountId = `00000000-0000-4000-8000-${String(Math.floor(i / EVENTS_PER_ACCOUNT)).padStart(12, '0')}`;
  const email = `user${i}@company${Math.floor(i / EVENTS_PER_ACCOUNT)}.example.com`;
  const first = i % EVENTS_PER_ACCOUNT === 0;
  const event = first
    ? orderEvent({ companyUuid: accountId, companyName: `Company ${i}`, email, firstName: 'Ada', lastName: 'Lovelace', editionCode: 'PRO' })
    : assignEvent({ accountIdentifier: accountId, user: { email, firstName: 'Bo', lastName: 'User' } });
  await tx.journal.record(token, `https://marketplace.example.com/api/integration/v1/events/${token}`, at);
  await tx.journal.saveEvent(token, { event, type: String(event.type), accountId }, at);
  await tx.queue.enqueue(workJob(token, at), at);
  const claimed = await tx.queue.claim(`event:${token}`, 'bench', at, 60_000);
  const customer = { id: `Y2lzY29zcGFyazovL3VzL0VOVEVSUFJJU0UvaWQ${i}`, orgId: `Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9pZA${i}`, address: { addressLine1: '771 Alder Drive', city: 'Milpitas', country: 'US' } };
  await tx.queue.saveCheckpoint(claimed!.lease, { customer, [`subscriber:${email}`]: { id: `Y2lzY29zcGFyazovL3VzL1NVQlNDUklCRVIvaWQ${i}`, extension: '4821', locationId: 'Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL2lk' } }, at);
  await tx.queue.finish(claimed!.lease, 'done', at);
  const async = i % 2 === 1;
  if (async) await tx.journal.ackAsync(token, at);
  await tx.journal.complete(token, success({ accountIdentifier: accountId, userIdentifier: `Y2lzY29zcGFyazovL3VzL1NVQlNDUklCRVIvaWQ${i}`, message: `Webex webex_calling provisioned for ${email}` }), at);
  if (async) {
    await tx.queue.enqueue(deliveryJob(token, at, at), at);
    const delivery = await tx.queue.claim(`deliver:${token}`, 'bench', at, 60_000);
    await tx.queue.finish(delivery!.lease, 'done', at);
    await tx.journal.markDelivered(token, at);
  } else await tx.journal.ackSync(token, at);
  for (const detail of ['AppDirect notified the connector', `event read from AppDirect: ${String(event.type)}`, `Webex: provisioning customer ${customer.id} for Company ${i} (packages webex_calling, webex_meetings) in Milpitas, US, time zone America/Los_Angeles`, `Webex: subscriber ${email} created with webex_calling, extension 4821`, 'result: success']) {
    await tx.journal.addTimeline(token, 'note', detail, at);
  }
  if (first) await tx.accounts.remember({ accountId, companyUuid: accountId, companyName: `Company ${i}`, customerId: customer.id, orgId: customer.orgId, status: 'active', editionCode: 'PRO', package: 'webex_calling', addedToCustomer: false }, at);
  await tx.accounts.rememberUser({ accountId, email, firstName: 'Ada', lastName: 'Lovelace', subscriberId: `sub-${i}`, packages: ['webex_calling'], extension: '4821', locationId: 'loc', status: 'active' }, at);
}

async function countEvents(store: Store): Promise<number> {
  return (await store.journal.recent(1_000_000)).length;
}

async function measure(kind: Measure['store'], open: () => Promise<Store>, size: (store: Store) => Promise<Size>, events: number): Promise<Measure> {
  const store = await open();
  try {
    const now = Date.now();
    let started = performance.now();
    await fill(store, events, now - 100 * DAY);
    const fillSeconds = (performance.now() - started) / 1000;
    const before = await size(store);
    started = performance.now();
    for (let more = true; more; ) more = (await applyRetention(store, 90, now)).more;
    const retentionSeconds = (performance.now() - started) / 1000;
    return { store: kind, events, before, eventsAfter: await countEvents(store), after: await size(store), fillSeconds, retentionSeconds };
  } finally {
    await store.close();
  }
}

function sqliteSize(dataDir: string) {
  return async (store: Store): Promise<Size> => {
    if (store.native.dialect === 'sqlite') store.native.database.pragma('wal_checkpoint(TRUNCATE)');
    return { bytes: fs.statSync(sqliteFileIn(dataDir)).size };
  };
}

const CONNECTOR_TABLES = ['events', 'timeline', 'jobs', 'nonces', 'admin_sessions', 'accounts', 'account_users', 'credentials', 'reconcile_runs', 'repairs'];

/** The connector's tables with their indexes and TOAST, as PostgreSQL holds them on disk. */
async function postgresSize(store: Store): Promise<number> {
  if (store.native.dialect !== 'postgres') throw new Error('PostgreSQL expected');
  const result = await store.native.pool.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ANY($1)`,
    [CONNECTOR_TABLES],
  );
  return Number(result.rows[0].bytes);
}

/** As written (dead row versions of every update included, which autovacuum makes reusable), then compacted. */
function postgresSizes(url: string) {
  return async (store: Store): Promise<Size> => {
    const bytes = await postgresSize(store);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (const table of CONNECTOR_TABLES) await client.query(`VACUUM FULL ${table}`);
    } finally {
      await client.end();
    }
    return { bytes, compacted: await postgresSize(store) };
  };
}

function parse(argv: string[]): { events: number; databaseUrl?: string } {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const events = Number(value('--events') ?? 10_000);
  if (!Number.isInteger(events) || events < EVENTS_PER_ACCOUNT) throw new Error(`--events takes a whole number of at least ${EVENTS_PER_ACCOUNT}`);
  return { events, databaseUrl: value('--database-url') ?? process.env[DATABASE_URL_VARIABLE] };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const sizeText = (size: Size) => (size.compacted === undefined ? mb(size.bytes) : `${mb(size.bytes)} as written, ${mb(size.compacted)} live`);
const perEvent = (r: Measure) => `${Math.round((r.before.compacted ?? r.before.bytes) / r.events).toLocaleString('en')} B`;

async function main(): Promise<void> {
  const { events, databaseUrl } = parse(process.argv.slice(2));
  const results: Measure[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-size-'));
  try {
    results.push(await measure('SQLite', () => openStore({ dataDir }), sqliteSize(dataDir), events));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (databaseUrl) {
    const schema = await freshSchema(databaseUrl);
    try {
      const open = () => openStore({ dataDir: os.tmpdir(), databaseUrl: schema.url });
      results.push(await measure('PostgreSQL', open, postgresSizes(schema.url), events));
    } finally {
      await schema.drop();
    }
  }
  const machine = describeMachine();
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:journal${databaseUrl ? ' -- --database-url …' : ''}\` on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}, Node.js ${machine.node}, journal on ${machine.journalFileSystem}${databaseUrl ? `; PostgreSQL at ${withoutPassword(databaseUrl)}` : ''}.`,
    '',
    '| Store | Events | On disk | Per event | Left by retention | On disk after retention |',
    '| --- | --- | --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.store} | ${r.events.toLocaleString('en')} | ${sizeText(r.before)} | ${perEvent(r)} | ${r.eventsAfter.toLocaleString('en')} (each account's newest) | ${sizeText(r.after)} |`,
    ),
    '',
    ...results.map((r) => `${r.store}: filled in ${r.fillSeconds.toFixed(1)} s, retention ran in ${r.retentionSeconds.toFixed(1)} s.`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:journal failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
