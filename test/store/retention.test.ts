import fs from 'node:fs';
import { success } from '../../src/appdirect/results';
import { applyRetention } from '../../src/jobs/retention';
import { deliveryJob, workJob } from '../../src/jobs/eventJobs';
import { sqliteFileIn, Store } from '../../src/store';
import { describeOnEachStore, freshStoreEachTest, sqliteKind } from './storeKinds';

const DAY = 24 * 3600_000;
const NOW = 1_800_000_000_000;
const OLD = NOW - 100 * DAY;
const RECENT = NOW - 10 * DAY;

/**
 * One event as the connector leaves it: received, read from AppDirect (its account), worked by a job that is done,
 * answered (in the HTTP response, or POSTed and taken or refused) and with a timeline of three lines.
 */
async function finishedEvent(store: Store, token: string, at: number, opts: { account?: string; answer: 'sync' | 'delivered' | 'rejected' | 'pending' }): Promise<void> {
  await store.journal.record(token, `http://m/events/${token}`, at);
  await store.journal.saveEvent(token, { event: { type: 'SUBSCRIPTION_ORDER' }, type: 'SUBSCRIPTION_ORDER', accountId: opts.account }, at);
  await finishedJob(store, workJob(token, at), at);
  if (opts.answer !== 'sync') await store.journal.ackAsync(token, at);
  await store.journal.complete(token, success({ accountIdentifier: opts.account }), at + 1);
  if (opts.answer === 'sync') await store.journal.ackSync(token, at + 1);
  if (opts.answer !== 'sync') await finishedJob(store, deliveryJob(token, at, at + 1), at + 2, opts.answer === 'pending');
  if (opts.answer === 'delivered') await store.journal.markDelivered(token, at + 2);
  if (opts.answer === 'rejected') await store.journal.markDeliveryRejected(token, 'closed', at + 2);
  for (const line of ['notified', 'fetched', 'result']) await store.journal.addTimeline(token, line, `${line} ${token}`, at);
}

/** A job claimed and finished at `at` (or left queued). */
async function finishedJob(store: Store, job: { id: string; kind: string; payload?: unknown; runAt: number }, at: number, queued = false): Promise<void> {
  await store.queue.enqueue(job, at);
  if (queued) return;
  const claimed = await store.queue.claim(job.id, 'test', at, 1000);
  await store.queue.finish(claimed!.lease, 'done', at);
}

const tokens = async (store: Store) => {
  const present = [];
  for (const token of ['old-delivered', 'old-sync', 'old-rejected', 'old-newest-of-a', 'old-pending', 'old-unfinished', 'recent', 'old-ping', 'old-retried', 'b-now']) {
    if (await store.journal.get(token)) present.push(token);
  }
  return present;
};

describeOnEachStore('journal retention', (kind) => {
  const t = freshStoreEachTest(kind);

  async function journalOfAYear(store: Store): Promise<void> {
    await finishedEvent(store, 'old-delivered', OLD, { account: 'a', answer: 'delivered' });
    await finishedEvent(store, 'old-sync', OLD + 1000, { account: 'b', answer: 'sync' });
    await finishedEvent(store, 'old-rejected', OLD + 2000, { account: 'c', answer: 'rejected' });
    await finishedEvent(store, 'c-later', OLD + 2500, { account: 'c', answer: 'sync' });
    // Old too, but the newest event of account a: kept.
    await finishedEvent(store, 'old-newest-of-a', OLD + 3000, { account: 'a', answer: 'delivered' });
    // Finished, but its result is still to be POSTed: kept, with its queued delivery.
    await finishedEvent(store, 'old-pending', OLD + 4000, { account: 'd', answer: 'pending' });
    await finishedEvent(store, 'd-later', OLD + 4500, { account: 'd', answer: 'sync' });
    // Never finished: kept, with its queued work.
    await store.journal.record('old-unfinished', 'u', OLD + 5000);
    await store.queue.enqueue(workJob('old-unfinished', OLD + 5000), OLD + 5000);
    await finishedEvent(store, 'recent', RECENT, { account: 'f', answer: 'delivered' });
    // A ping: no account, answered in the response.
    await finishedEvent(store, 'old-ping', OLD + 6000, { answer: 'sync' });
    // Finished and delivered, but an operator's retry has just queued its work again: kept.
    await finishedEvent(store, 'old-retried', OLD + 7000, { account: 'e', answer: 'delivered' });
    await finishedEvent(store, 'e-later', OLD + 7500, { account: 'e', answer: 'sync' });
    await store.queue.requeue('event:old-retried', NOW);
    await finishedEvent(store, 'b-now', NOW - 1000, { account: 'b', answer: 'sync' });
  }

  test('removes finished, answered events older than the cutoff with their timelines and jobs, and nothing still needed', async () => {
    const store = t.store();
    await journalOfAYear(store);
    await store.accounts.remember({ accountId: 'a', status: 'active', addedToCustomer: false, customerId: 'cust-a' }, OLD);

    const { counts } = await applyRetention(store, 90, NOW);
    // c-later, d-later and e-later are old and finished, but each is its account's newest event.
    expect(await tokens(store)).toEqual(['old-newest-of-a', 'old-pending', 'old-unfinished', 'recent', 'old-retried', 'b-now']);
    expect(counts).toMatchObject({ events: 4, timeline: 12 });
    for (const gone of ['old-delivered', 'old-sync', 'old-rejected', 'old-ping']) {
      expect(await store.journal.timeline(gone)).toEqual([]);
      expect(await store.queue.get(`event:${gone}`)).toBeUndefined();
      expect(await store.queue.get(`deliver:${gone}`)).toBeUndefined();
    }
    // What is kept keeps its timeline and jobs: a retry still finds the checkpoint, a delivery still goes out.
    expect(await store.journal.timeline('old-newest-of-a')).toHaveLength(3);
    expect(await store.queue.get('event:old-newest-of-a')).toMatchObject({ state: 'done' });
    expect(await store.queue.get('deliver:old-pending')).toMatchObject({ state: 'queued' });
    expect(await store.queue.get('event:old-unfinished')).toMatchObject({ state: 'queued' });
    expect(await store.queue.get('event:old-retried')).toMatchObject({ state: 'queued' });
    // The account memory is never touched.
    expect(await store.accounts.get('a')).toMatchObject({ customerId: 'cust-a' });

    // A second run finds nothing more to remove.
    expect((await applyRetention(store, 90, NOW)).counts).toMatchObject({ events: 0, timeline: 0, jobs: 0 });
  });

  test('works in batches: each call removes at most its limit, oldest first', async () => {
    const store = t.store();
    for (let i = 0; i < 5; i++) await finishedEvent(store, `e${i}`, OLD + i, { answer: 'sync' });
    const ids = (token: string) => [`event:${token}`, `deliver:${token}`];
    expect(await store.retention.removeExpiredEvents(NOW - 90 * DAY, 2, ids)).toEqual({ events: 2, timeline: 6, jobs: 2 });
    expect(await store.journal.get('e0')).toBeUndefined();
    expect(await store.journal.get('e2')).toBeDefined();
    expect((await store.retention.removeExpiredEvents(NOW - 90 * DAY, 2, ids)).events).toBe(2);
    expect((await store.retention.removeExpiredEvents(NOW - 90 * DAY, 2, ids)).events).toBe(1);
    expect((await store.retention.removeExpiredEvents(NOW - 90 * DAY, 2, ids)).events).toBe(0);
  });

  test('other finished jobs, expired nonces, ended operator sessions and old reconciliations go too; the newest reconciliation stays', async () => {
    const store = t.store();
    await finishedJob(store, { id: 'consent:a:x@y', kind: 'user.consent', runAt: OLD }, OLD);
    await finishedJob(store, { id: 'consent:a:new@y', kind: 'user.consent', runAt: RECENT }, RECENT);
    await store.queue.enqueue({ id: 'webex-reconcile', kind: 'webex.reconcile', runAt: OLD }, OLD);
    await store.nonces.useOnce('expired', NOW - 1, OLD);
    await store.nonces.useOnce('valid', NOW + 60_000, NOW - 1000);
    await store.adminSessions.open('expired', NOW - 1, OLD);
    await store.adminSessions.open('signed-out', NOW + 3600_000, NOW - 1000);
    await store.adminSessions.revoke('signed-out', NOW - 500);
    await store.adminSessions.open('active', NOW + 3600_000, NOW - 1000);
    const runs = [];
    for (const at of [OLD, OLD + 1000]) {
      const id = await store.reconciliations.start({ trigger: 'schedule', mode: 'fix' }, at);
      await store.reconciliations.addRepair({ runId: id, at, accountId: 'a', driftKind: 'subscriber_missing', action: 'POST', outcome: 'repaired', trackingId: 'T', detail: 'd' });
      await store.reconciliations.finish(id, { summary: {}, report: {} }, at + 10);
      runs.push(id);
    }
    // Unfinished (it stopped half-way) and old: removed, though newer than the newest finished one.
    await store.reconciliations.start({ trigger: 'cli', mode: 'report' }, OLD + 2000);

    const { counts } = await applyRetention(store, 90, NOW);
    expect(counts).toMatchObject({ jobs: 1, nonces: 1, adminSessions: 2, reconcileRuns: 2, repairs: 1 });
    expect(await store.queue.get('consent:a:x@y')).toBeUndefined();
    expect(await store.queue.get('consent:a:new@y')).toMatchObject({ state: 'done' });
    expect(await store.queue.get('webex-reconcile')).toMatchObject({ state: 'queued' });
    expect(await store.nonces.useOnce('valid', NOW + 60_000, NOW)).toBe(false);
    expect(await store.adminSessions.isActive('active', NOW)).toBe(true);
    expect((await store.reconciliations.latest())?.id).toBe(runs[1]);
    expect(await store.reconciliations.repairs(runs[1])).toHaveLength(1);
    expect(await store.reconciliations.repairs(runs[0])).toEqual([]);
  });
});

describe('journal retention on SQLite gives the space back', () => {
  const t = freshStoreEachTest(sqliteKind);

  test('the file shrinks after retention instead of keeping its peak size', async () => {
    const store = t.store();
    if (store.native.dialect !== 'sqlite') throw new Error('SQLite expected');
    const { database } = store.native;
    expect(database.pragma('auto_vacuum', { simple: true })).toBe(2); // incremental
    const bulky = { payload: { notes: 'x'.repeat(4000) } };
    await store.transaction(async (tx) => {
      for (let i = 0; i < 1500; i++) {
        const token = `bulk-${i}`;
        await tx.journal.record(token, 'u', OLD + i);
        await tx.journal.saveEvent(token, { event: bulky, type: 'SUBSCRIPTION_ORDER' }, OLD + i);
        await tx.journal.complete(token, success(), OLD + i);
        await tx.journal.ackSync(token, OLD + i);
      }
    });
    const size = () => {
      database.pragma('wal_checkpoint(TRUNCATE)');
      return fs.statSync(sqliteFileIn(t.storage().settings.dataDir)).size;
    };
    const peak = size();
    expect(peak).toBeGreaterThan(6_000_000);
    const { counts, more } = await applyRetention(store, 90, NOW);
    expect({ events: counts.events, more }).toEqual({ events: 1500, more: false });
    expect(counts.bytesReclaimed).toBeGreaterThan(peak * 0.8);
    expect(size()).toBeLessThan(peak * 0.2);
  });
});
