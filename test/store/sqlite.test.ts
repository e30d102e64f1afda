import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { success } from '../../src/appdirect/results';
import { SqliteStore } from '../../src/store/sqlite';

describe('SqliteStore', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    store = SqliteStore.inDataDir(dir);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('journals a notification once and counts repeats', async () => {
    const first = await store.recordNotification('t1', 'http://m/api/integration/v1/events/t1', 1000);
    const again = await store.recordNotification('t1', 'http://m/api/integration/v1/events/t1', 2000);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.record.notifications).toBe(2);
    expect((await store.get('t1'))?.phase).toBe('work');
  });

  test('a claimed event cannot be claimed by another worker until released', async () => {
    await store.recordNotification('t1', 'u', 1000);
    expect(await store.claim('t1', 'a', 1000, 5000)).toBeDefined();
    expect(await store.claim('t1', 'b', 2000, 5000)).toBeUndefined();
    expect(await store.claimDue('b', 2000, 5000, 10)).toHaveLength(0);
    // the lease runs out: another worker takes over, and the first one's writes are refused
    expect(await store.claimDue('b', 7000, 5000, 10)).toHaveLength(1);
    expect(await store.saveProgress('t1', 'a', { type: 'X' }, 7001)).toBe(false);
    expect(await store.saveProgress('t1', 'b', { type: 'SUBSCRIPTION_ORDER' }, 7001)).toBe(true);
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
    expect((await store.get('t1'))?.attempts).toBe(1);
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

  test('a result that arrives before the budget runs out is answered in the response', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 1000);
    const done = await store.complete('t1', 'a', success(), 20);
    expect(done?.phase).toBe('idle');
    expect(await store.ackSync('t1', 21)).toBe(true);
    // giving up afterwards changes nothing: the answer was already given
    expect((await store.ackAsync('t1', 22)).ack).toBe('sync');
  });

  test('an event whose request died unanswered is adopted for asynchronous delivery', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 1000);
    await store.complete('t1', 'a', success(), 20);
    await store.recordNotification('t2', 'u', 0);
    expect(await store.adoptUnanswered(10, 100)).toBe(2);
    expect(await store.get('t1')).toMatchObject({ ack: 'async', phase: 'deliver', delivery: 'pending' });
    expect(await store.get('t2')).toMatchObject({ ack: 'async', phase: 'work' });
  });

  test('survives reopening: the journal is on disk', async () => {
    await store.recordNotification('t1', 'u', 0);
    await store.claim('t1', 'a', 0, 60_000);
    await store.close();
    store = SqliteStore.inDataDir(dir);
    expect(await store.releaseStaleClaims(1)).toBe(1);
    expect(await store.claimDue('b', 1, 1000, 10)).toHaveLength(1);
  });

  test('a nonce is accepted once until it expires', async () => {
    expect(await store.useNonce('n', 100, 0)).toBe(true);
    expect(await store.useNonce('n', 100, 50)).toBe(false);
    expect(await store.useNonce('n', 300, 200)).toBe(true);
  });

  test('timeline keeps entries in order', async () => {
    await store.addTimeline('t1', 'a', 'one', 1);
    await store.addTimeline('t1', 'b', 'two', 1);
    expect((await store.timeline('t1')).map((e) => e.detail)).toEqual(['one', 'two']);
  });
});
