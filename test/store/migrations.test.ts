import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openStore, sqliteFileIn, Store } from '../../src/store';
import { migrations } from '../../src/store/migrations';
import { describeWithPostgres, freshSchema, TestSchema } from './testDatabase';

const FIXTURES = path.join(__dirname, 'fixtures');

/** What the release before the job queue had journaled (see fixtures/): one event in each phase it knew. */
async function expectLegacyJournalCarriedForward(store: Store): Promise<void> {
  // still being worked on: its work is queued with its checkpoint, failed attempt and due time
  expect(await store.journal.get('legacy-working')).toMatchObject({ type: 'SUBSCRIPTION_ORDER', accountId: 'company-1', ack: 'async', event: { payload: { company: { name: 'Legacy Co' } } } });
  expect(await store.queue.get('event:legacy-working')).toMatchObject({
    kind: 'event.work',
    state: 'queued',
    payload: { token: 'legacy-working' },
    attempts: 1,
    lastError: 'Webex GET /x answered 503',
    runAt: 1_767_000_005_000,
    checkpoint: { customer: { id: 'cust-1', orgId: 'org-1' } },
  });
  // finished, result not yet delivered: a delivery job is queued, the work is done (its checkpoint kept)
  expect(await store.journal.get('legacy-delivering')).toMatchObject({ delivery: 'pending', result: { accountIdentifier: 'company-2' }, finishedAt: 1_767_000_000_014 });
  expect(await store.queue.get('deliver:legacy-delivering')).toMatchObject({ kind: 'event.deliver', state: 'queued', payload: { token: 'legacy-delivering' } });
  expect(await store.queue.get('event:legacy-delivering')).toMatchObject({ state: 'done', checkpoint: { peopleToRemove: ['a@x.example'] } });
  // finished and answered; delivered; refused by AppDirect (its reason kept)
  expect(await store.journal.get('legacy-done')).toMatchObject({ ack: 'sync', result: { errorCode: 'USER_NOT_FOUND' }, delivery: 'none' });
  expect(await store.queue.get('event:legacy-done')).toMatchObject({ state: 'done', checkpoint: { 'subscriber:b@x.example': { id: 'sub-9' } } });
  expect(await store.journal.get('legacy-delivered')).toMatchObject({ delivery: 'delivered' });
  expect(await store.journal.get('legacy-rejected')).toMatchObject({ delivery: 'rejected', deliveryError: 'posting the event result failed: AppDirect answered HTTP 400' });
  expect(await store.queue.get('deliver:legacy-rejected')).toBeUndefined();
  // the timeline and the nonces are kept; new entries follow the old ones
  await store.journal.addTimeline('legacy-done', 'operator', 'looked at', 1);
  expect((await store.journal.timeline('legacy-done')).map((e) => e.kind)).toEqual(['result', 'operator']);
  expect(await store.nonces.useOnce('oauth1:key:nonce-1', 9_999_999_999_999, 0)).toBe(false);
  // nothing is claimed: the first start owns nothing yet
  expect((await store.queue.claimDue('new', 1_767_000_005_000, 1000, 10, ['event.work', 'event.deliver'])).map((j) => j.id).sort()).toEqual([
    'deliver:legacy-delivering',
    'event:legacy-working',
  ]);
}

describe('a SQLite journal written by the release before the job queue', () => {
  test('is carried forward on start, every record and its work kept', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'legacy-'));
    fs.copyFileSync(path.join(FIXTURES, 'legacy-journal.sqlite'), sqliteFileIn(dataDir));
    try {
      const store = await openStore({ dataDir });
      await expectLegacyJournalCarriedForward(store);
      // The file was rewritten once so that retention can give deleted rows' space back.
      expect(store.native.dialect === 'sqlite' && store.native.database.pragma('auto_vacuum', { simple: true })).toBe(2);
      await store.close();
      // a second start finds it up to date
      const again = await openStore({ dataDir });
      expect(await again.journal.get('legacy-working')).toBeDefined();
      await again.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describeWithPostgres('the shared PostgreSQL store', () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await freshSchema();
  });
  afterEach(() => schema.drop());
  const settings = () => ({ dataDir: os.tmpdir(), databaseUrl: schema.url });

  const query = async (text: string) => {
    const client = new Client({ connectionString: schema.url });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  };

  test('written by the release before the job queue is carried forward on start', async () => {
    await query(fs.readFileSync(path.join(FIXTURES, 'legacy-journal.postgres.sql'), 'utf8'));
    const store = await openStore(settings());
    try {
      await expectLegacyJournalCarriedForward(store);
      expect(await query(`SELECT to_regclass('schema_migrations') AS old`)).toEqual([{ old: null }]);
    } finally {
      await store.close();
    }
  });

  test('instances starting at the same moment set the schema up once and all work', async () => {
    const stores = await Promise.all(Array.from({ length: 5 }, () => openStore(settings())));
    try {
      expect((await query('SELECT name FROM kysely_migration ORDER BY name')).map((r) => r.name)).toEqual(Object.keys(migrations('postgres')).sort());
      await stores[0].journal.record('t1', 'u', 0);
      expect((await stores[4].journal.record('t1', 'u', 1)).created).toBe(false);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test('a database that cannot be reached fails the start with a message that holds no password', async () => {
    const url = new URL(schema.url);
    url.password = 'pg-SECRET-pass';
    url.port = '1';
    await expect(openStore({ dataDir: os.tmpdir(), databaseUrl: url.href })).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining('pg-SECRET-pass') }));
  });
});
