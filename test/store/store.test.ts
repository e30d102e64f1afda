import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { success } from '../../src/appdirect/results';
import { PostgresStore } from '../../src/store/postgres';
import { SqliteStore } from '../../src/store/sqlite';
import type { Store } from '../../src/store/types';
import { describeWithPostgres, freshSchema } from './testDatabase';

/** One implementation of the Store interface, on storage of its own for each test. */
interface StoreUnderTest {
  /** Several instances use it at once, so a restart must leave claims of live instances alone. */
  shared: boolean;
  /** Empty storage; `open` gives a new handle on it, as a restarted (or another) instance would get. */
  create(): Promise<{ open(): Promise<Store>; destroy(): Promise<void> }>;
}

const sqlite: StoreUnderTest = {
  shared: false,
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    return { open: async () => SqliteStore.inDataDir(dir), destroy: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
};

const postgres: StoreUnderTest = {
  shared: true,
  async create() {
    const schema = await freshSchema();
    return { open: () => PostgresStore.connect(schema.url, Date.now()), destroy: schema.drop };
  },
};

/** The behaviour every store must have: the job runner and the receiver rely on nothing else. */
function storeContract(impl: StoreUnderTest): void {
  let storage: { open(): Promise<Store>; destroy(): Promise<void> };
  let store: Store;
  const extraHandles: Store[] = [];
  /** Another handle on the same storage: a second instance (shared store) or the same process again. */
  const anotherHandle = async () => {
    if (!impl.shared) return store;
    const handle = await storage.open();
    extraHandles.push(handle);
    return handle;
  };

  beforeEach(async () => {
    storage = await impl.create();
    store = await storage.open();
  });
  afterEach(async () => {
    await Promise.all([store, ...extraHandles.splice(0)].map((s) => s.close()));
    await storage.destroy();
  });

  test('journals a notification once and counts repeats', async () => {
    const first = await store.recordNotification('t1', 'http://m/api/integration/v1/events/t1', 1000);
    const again = await store.recordNotification('t1', 'http://m/api/integration/v1/events/t1', 2000);
    expect(first.created).toBe(true);
    expect(first.record).toMatchObject({ token: 't1', phase: 'work', ack: null, delivery: 'none', attempts: 0, checkpoint: {}, runAt: 1000, receivedAt: 1000 });
    expect(again.created).toBe(false);
    expect(again.record.notifications).toBe(2);
    expect((await store.get('t1'))?.phase).toBe('work');
    expect(await store.get('unknown')).toBeUndefined();
  });

  test('a claimed event cannot be claimed by another worker until released', async () => {
    await store.recordNotification('t1', 'u', 1000);
    expect(await store.claim('t1', 'a', 1000, 5000)).toMatchObject({ leaseOwner: 'a', leaseUntil: 6000 });
    expect(await store.claim('t1', 'b', 2000, 5000)).toBeUndefined();
    expect(await store.claimDue('b', 2000, 5000, 10)).toHaveLength(0);
    // the lease runs out: another worker takes over, and the first one's writes are refused
    expect(await store.claimDue('b', 7000, 5000, 10)).toHaveLength(1);
    expect(await store.saveProgress('t1', 'a', { type: 'X' }, 7001)).toBe(false);
    expect(await store.reschedule('t1', 'a', { runAt: 0, failed: true }, 7001)).toBe(false);
    expect(await store.complete('t1', 'a', success(), 7001)).toBeUndefined();
    expect(await store.saveProgress('t1', 'b', { type: 'SUBSCRIPTION_ORDER' }, 7001)).toBe(true);
  });

  test('progress is saved field by field, and a null flag clears it', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 1000);
    const event = { type: 'SUBSCRIPTION_ORDER', flag: 'DEVELOPMENT', payload: { company: { uuid: 'c1' } } };
    await store.saveProgress('t1', 'a', { event, type: event.type, flag: event.flag, accountId: 'c1' }, 1);
    await store.saveProgress('t1', 'a', { checkpoint: { customer: { id: 'cust' } } }, 2);
    expect(await store.get('t1')).toMatchObject({ event, type: 'SUBSCRIPTION_ORDER', flag: 'DEVELOPMENT', accountId: 'c1', checkpoint: { customer: { id: 'cust' } }, updatedAt: 2 });
    await store.saveProgress('t1', 'a', { flag: null }, 3);
    expect((await store.get('t1'))?.flag).toBeUndefined();
  });

  test('claimDue takes the longest-waiting due events first, up to the limit', async () => {
    for (const [token, at] of [['late', 30], ['early', 10], ['middle', 20], ['future', 500]] as const) {
      await store.recordNotification(token, 'u', at);
    }
    expect((await store.claimDue('a', 100, 1000, 2)).map((r) => r.token)).toEqual(['early', 'middle']);
    expect((await store.claimDue('b', 100, 1000, 5)).map((r) => r.token)).toEqual(['late']);
  });

  test('reschedule counts failures only when asked and hides the event until due', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 1000);
    await store.reschedule('t1', 'a', { runAt: 500, failed: true, lastError: 'boom' }, 10);
    expect(await store.claimDue('a', 100, 1000, 10)).toHaveLength(0);
    const [due] = await store.claimDue('a', 600, 1000, 10);
    expect(due.attempts).toBe(1);
    expect(due.lastError).toBe('boom');
    await store.reschedule('t1', 'a', { runAt: 700, failed: false }, 650);
    expect(await store.get('t1')).toMatchObject({ attempts: 1, lastError: 'boom' });
  });

  test('a result promised asynchronously moves on to delivery', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 1000);
    const acked = await store.ackAsync('t1', 10);
    expect(acked.ack).toBe('async');
    const done = await store.complete('t1', 'a', success({ accountIdentifier: 'acc' }), 20);
    expect(done).toMatchObject({ phase: 'deliver', delivery: 'pending', result: { success: true, accountIdentifier: 'acc' } });
    expect(await store.ackSync('t1', 30)).toBe(false);
    await store.claim('t1', 'a', 40, 1000);
    await store.markDelivered('t1', 'a', 50);
    expect(await store.get('t1')).toMatchObject({ phase: 'idle', delivery: 'delivered' });
  });

  test('a result AppDirect refuses for good ends delivery', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.ackAsync('t1', 1);
    await store.claim('t1', 'a', 2, 1000);
    await store.complete('t1', 'a', success(), 3);
    await store.claim('t1', 'a', 4, 1000);
    await store.markDeliveryRejected('t1', 'b', 'not mine', 5);
    expect((await store.get('t1'))?.delivery).toBe('pending');
    await store.markDeliveryRejected('t1', 'a', 'event gone', 6);
    expect(await store.get('t1')).toMatchObject({ phase: 'idle', delivery: 'rejected', lastError: 'event gone' });
    expect(await store.claimDue('a', 100, 1000, 10)).toHaveLength(0);
  });

  test('a result that arrives before the budget runs out is answered in the response', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 1000);
    const done = await store.complete('t1', 'a', success(), 20);
    expect(done?.phase).toBe('idle');
    expect(await store.ackSync('t1', 21)).toBe(true);
    // giving up afterwards changes nothing: the answer was already given
    expect((await store.ackAsync('t1', 22)).ack).toBe('sync');
  });

  test('however complete and ackAsync race, the result is answered in the response or delivered, never both', async () => {
    const tokens = Array.from({ length: 30 }, (_, i) => `race-${i}`);
    const other = await anotherHandle();
    for (const token of tokens) {
      await store.recordNotification(token, 'u', 0);
      await store.claim(token, 'worker', 0, 60_000);
    }
    await Promise.all(tokens.map((token) => Promise.all([store.complete(token, 'worker', success(), 5), other.ackAsync(token, 5)])));
    for (const token of tokens) {
      const record = (await store.get(token))!;
      const answeredInResponse = record.ack === 'sync';
      const toDeliver = record.phase === 'deliver' && record.delivery === 'pending';
      expect({ token, answeredInResponse, toDeliver }).toEqual({ token, answeredInResponse: !toDeliver, toDeliver: !answeredInResponse });
    }
  });

  test('workers racing for due events each get different ones, and every event goes to someone', async () => {
    const tokens = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    for (const token of tokens) await store.recordNotification(token, 'u', 0);
    const workers = await Promise.all(['w1', 'w2', 'w3', 'w4'].map(async (owner) => ({ owner, store: await anotherHandle() })));
    const claims = await Promise.all(
      workers.flatMap(({ owner, store: handle }) => [
        handle.claimDue(owner, 10, 60_000, 7),
        handle.claimDue(owner, 10, 60_000, 7),
        ...tokens.slice(0, 5).map((token) => handle.claim(token, owner, 10, 60_000).then((r) => (r ? [r] : []))),
      ]),
    );
    const claimed = claims.flat().map((r) => r.token);
    expect(new Set(claimed).size).toBe(claimed.length);
    const rest = await store.claimDue('last', 10, 60_000, 100);
    expect([...claimed, ...rest.map((r) => r.token)].sort()).toEqual([...tokens].sort());
  });

  test('an event whose request died unanswered is adopted for asynchronous delivery', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 1000);
    await store.complete('t1', 'a', success(), 20);
    await store.recordNotification('t2', 'u', 0);
    await store.recordNotification('t3', 'u', 50);
    expect(await store.adoptUnanswered(10, 100)).toBe(2);
    expect(await store.get('t1')).toMatchObject({ ack: 'async', phase: 'deliver', delivery: 'pending', runAt: 100 });
    expect(await store.get('t2')).toMatchObject({ ack: 'async', phase: 'work' });
    expect((await store.get('t3'))?.ack).toBeNull();
  });

  test('survives reopening; claims left behind are freed once no live worker can hold them', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 60_000);
    await store.close();
    store = await storage.open();
    expect((await store.get('t1'))?.leaseOwner).toBe('a');
    if (impl.shared) {
      // another instance may still be working on it: only an expired lease is freed
      expect(await store.releaseStaleClaims(1)).toBe(0);
      expect(await store.claimDue('b', 1, 1000, 10)).toHaveLength(0);
      expect(await store.releaseStaleClaims(60_001)).toBe(1);
    } else {
      expect(await store.releaseStaleClaims(1)).toBe(1);
    }
    expect(await store.claimDue('b', 60_001, 1000, 10)).toHaveLength(1);
  });

  test('a nonce is accepted once until it expires', async () => {
    expect(await store.useNonce('n', 100, 0)).toBe(true);
    expect(await store.useNonce('n', 100, 50)).toBe(false);
    expect(await store.useNonce('n', 100, 100)).toBe(false);
    expect(await store.useNonce('n', 300, 200)).toBe(true);
  });

  test('a nonce presented to several instances at once is accepted by exactly one', async () => {
    const handles = await Promise.all([1, 2, 3, 4].map(() => anotherHandle()));
    const verdicts = await Promise.all(handles.flatMap((handle) => [handle.useNonce('shared', 1000, 0), handle.useNonce('shared', 1000, 0)]));
    expect(verdicts.filter(Boolean)).toHaveLength(1);
  });

  test('timeline keeps entries in order', async () => {
    await store.addTimeline('t1', 'a', 'one', 1);
    await store.addTimeline('t1', 'b', 'two', 1);
    await store.addTimeline('t2', 'c', 'other', 1);
    expect(await store.timeline('t1')).toEqual([
      { at: 1, kind: 'a', detail: 'one' },
      { at: 1, kind: 'b', detail: 'two' },
    ]);
  });

  test('recent lists the newest notifications first', async () => {
    for (const [token, at] of [['old', 1], ['new', 3], ['mid', 2]] as const) await store.recordNotification(token, 'u', at);
    expect((await store.recent(2)).map((r) => r.token)).toEqual(['new', 'mid']);
  });

  test('queue statistics count unfinished events per phase', async () => {
    expect(await store.queueStats()).toEqual({ work: { count: 0 }, deliver: { count: 0 } });
    await store.recordNotification('w1', 'u', 10);
    await store.recordNotification('w2', 'u', 20);
    await store.recordNotification('d1', 'u', 5);
    await store.ackAsync('d1', 6);
    await store.claim('d1', 'a', 6, 1000);
    await store.complete('d1', 'a', success(), 7);
    expect(await store.queueStats()).toEqual({ work: { count: 2, oldestReceivedAt: 10 }, deliver: { count: 1, oldestReceivedAt: 5 } });
  });

  test('an operator retry puts a finished event back to work, keeping what was learnt', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 1000);
    await store.saveProgress('t1', 'a', { checkpoint: { customer: { id: 'c' } } }, 1);
    expect(await store.requeue('t1', 2)).toBe(false); // still being worked on
    await store.complete('t1', 'a', success(), 3);
    expect(await store.requeue('t1', 10)).toBe(true);
    expect(await store.get('t1')).toMatchObject({ phase: 'work', ack: 'async', result: undefined, delivery: 'none', attempts: 0, runAt: 10, retriedAt: 10, checkpoint: { customer: { id: 'c' } } });
    expect(await store.claimDue('b', 10, 1000, 10)).toHaveLength(1);
  });
}

describe('SqliteStore', () => storeContract(sqlite));
describeWithPostgres('PostgresStore', () => storeContract(postgres));
