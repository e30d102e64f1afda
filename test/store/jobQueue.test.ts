import { describeOnEachStore, freshStoreEachTest } from './storeKinds';

const WORK = ['work'];

describeOnEachStore('the job queue', (kind) => {
  const t = freshStoreEachTest(kind);
  const queue = () => t.store().queue;

  test('a job is added once while it is queued; a finished one starts afresh', async () => {
    expect(await queue().enqueue({ id: 'j1', kind: 'work', payload: { token: 'a' }, runAt: 10 }, 5)).toBe(true);
    expect(await queue().enqueue({ id: 'j1', kind: 'work', payload: { token: 'other' }, runAt: 0 }, 6)).toBe(false);
    expect(await queue().get('j1')).toMatchObject({ id: 'j1', kind: 'work', payload: { token: 'a' }, state: 'queued', runAt: 10, attempts: 0, checkpoint: {}, createdAt: 5 });
    expect(await queue().get('nope')).toBeUndefined();
    const claimed = (await queue().claim('j1', 'a', 10, 1000))!;
    await queue().reschedule(claimed.lease, { runAt: 11, failed: true, error: 'boom' }, 11);
    const again = (await queue().claim('j1', 'a', 12, 1000))!;
    await queue().finish(again.lease, 'failed', 13, 'gave up');
    expect(await queue().enqueue({ id: 'j1', kind: 'work', payload: { token: 'b' }, runAt: 20 }, 20)).toBe(true);
    expect(await queue().get('j1')).toMatchObject({ state: 'queued', payload: { token: 'b' }, runAt: 20, attempts: 0, lastError: undefined, createdAt: 20 });
  });

  test('claims take due jobs of the asked kinds, longest-waiting first, up to the limit', async () => {
    for (const [id, at, jobKind] of [['late', 30, 'work'], ['early', 10, 'work'], ['middle', 20, 'work'], ['future', 500, 'work'], ['other', 0, 'mail']] as const) {
      await queue().enqueue({ id, kind: jobKind, runAt: at }, 0);
    }
    expect((await queue().claimDue('a', 100, 1000, 2, WORK)).map((j) => j.id)).toEqual(['early', 'middle']);
    expect((await queue().claimDue('b', 100, 1000, 5, WORK)).map((j) => j.id)).toEqual(['late']);
    expect(await queue().claimDue('b', 100, 1000, 5, [])).toEqual([]);
    expect((await queue().claimDue('b', 100, 1000, 5, ['mail'])).map((j) => j.id)).toEqual(['other']);
  });

  test('a claimed job is nobody else’s until its lease runs out; then the first claimant can no longer write', async () => {
    await queue().enqueue({ id: 'j1', kind: 'work', runAt: 0 }, 0);
    const first = await queue().claim('j1', 'a', 1000, 5000);
    expect(first).toMatchObject({ id: 'j1', leaseUntil: 6000, lease: { jobId: 'j1', owner: 'a' } });
    expect(await queue().claim('j1', 'b', 2000, 5000)).toBeUndefined();
    expect(await queue().claimDue('b', 2000, 5000, 10, WORK)).toHaveLength(0);
    // a heartbeat keeps the claim past its first lease
    expect(await queue().heartbeat(first!.lease, 5000, 5000)).toBe(true);
    expect(await queue().claimDue('b', 7000, 5000, 10, WORK)).toHaveLength(0);
    const [second] = await queue().claimDue('b', 10_001, 5000, 10, WORK);
    expect(second.lease.owner).toBe('b');
    expect(await queue().heartbeat(first!.lease, 10_002, 5000)).toBe(false);
    expect(await queue().saveCheckpoint(first!.lease, { x: 1 }, 10_002)).toBe(false);
    expect(await queue().reschedule(first!.lease, { runAt: 0, failed: true, error: 'boom' }, 10_002)).toBe(false);
    expect(await queue().finish(first!.lease, 'done', 10_002)).toBe(false);
    expect(await queue().saveCheckpoint(second.lease, { y: 2 }, 10_003)).toBe(true);
    expect(await queue().get('j1')).toMatchObject({ state: 'queued', attempts: 0, checkpoint: { y: 2 } });
  });

  test('the same owner claiming again gets a new lease, and the old one is fenced off', async () => {
    await queue().enqueue({ id: 'j1', kind: 'work', runAt: 0 }, 0);
    const first = (await queue().claim('j1', 'a', 0, 100))!;
    const again = (await queue().claim('j1', 'a', 200, 100))!;
    expect(again.lease.leaseId).not.toBe(first.lease.leaseId);
    expect(await queue().saveCheckpoint(first.lease, { stale: true }, 201)).toBe(false);
  });

  test('a failed attempt is counted with its error; waiting is not a failure and says what for', async () => {
    await queue().enqueue({ id: 'j1', kind: 'work', runAt: 0 }, 0);
    const claimed = (await queue().claim('j1', 'a', 0, 1000))!;
    expect(await queue().reschedule(claimed.lease, { runAt: 500, failed: true, error: 'boom' }, 10)).toBe(true);
    expect(await queue().claimDue('a', 100, 1000, 10, WORK)).toHaveLength(0);
    const [due] = await queue().claimDue('a', 600, 1000, 10, WORK);
    expect(due).toMatchObject({ attempts: 1, lastError: 'boom' });
    await queue().reschedule(due.lease, { runAt: 700, failed: false, waitingFor: 'Webex is provisioning the customer' }, 650);
    expect(await queue().get('j1')).toMatchObject({ attempts: 1, lastError: 'boom', waitingFor: 'Webex is provisioning the customer', runAt: 700 });
  });

  test('a finished job keeps its checkpoint, and an operator can put it back in the queue', async () => {
    await queue().enqueue({ id: 'j1', kind: 'work', runAt: 0 }, 0);
    const claimed = (await queue().claim('j1', 'a', 0, 1000))!;
    await queue().saveCheckpoint(claimed.lease, { customer: 'c1' }, 1);
    expect(await queue().requeue('j1', 2)).toBe(false); // still queued
    expect(await queue().finish(claimed.lease, 'failed', 3, 'no way')).toBe(true);
    expect(await queue().get('j1')).toMatchObject({ state: 'failed', lastError: 'no way', checkpoint: { customer: 'c1' } });
    expect(await queue().claimDue('b', 10, 1000, 10, WORK)).toHaveLength(0);
    expect(await queue().requeue('j1', 10)).toBe(true);
    expect(await queue().get('j1')).toMatchObject({ state: 'queued', attempts: 0, runAt: 10, checkpoint: { customer: 'c1' } });
    expect(await queue().claimDue('b', 10, 1000, 10, WORK)).toHaveLength(1);
  });

  test('claims left by a previous run are freed: all of them, or one instance’s earlier ones', async () => {
    for (const id of ['mine-old', 'mine-now', 'theirs']) await queue().enqueue({ id, kind: 'work', runAt: 0 }, 0);
    await queue().claim('mine-old', 'host-a:5002/boot-1', 0, 60_000);
    await queue().claim('mine-now', 'host-a:5002/boot-2', 0, 60_000);
    await queue().claim('theirs', 'host-b:5002/boot-1', 0, 60_000);
    expect(await queue().releaseClaims({ prefix: 'host-a:5002/', except: 'host-a:5002/boot-2' }, 1)).toBe(1);
    expect((await queue().claimDue('x', 2, 1000, 10, WORK)).map((j) => j.id)).toEqual(['mine-old']);
    expect(await queue().releaseClaims('all', 3)).toBe(3);
  });

  test('statistics count queued jobs per kind with the oldest', async () => {
    expect(await queue().stats()).toEqual({});
    await queue().enqueue({ id: 'a', kind: 'work', runAt: 0 }, 10);
    await queue().enqueue({ id: 'b', kind: 'work', runAt: 0 }, 20);
    await queue().enqueue({ id: 'c', kind: 'mail', runAt: 0 }, 5);
    const claimed = (await queue().claim('c', 'o', 0, 10))!;
    await queue().finish(claimed.lease, 'done', 30);
    expect(await queue().stats()).toEqual({ work: { count: 2, oldestCreatedAt: 10 } });
    expect(await queue().nextDueAt(WORK)).toBe(0);
    expect(await queue().nextDueAt(['mail'])).toBeUndefined();
  });

  test('workers racing for due jobs each get different ones, and every job goes to someone', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    for (const id of ids) await queue().enqueue({ id, kind: 'work', runAt: 0 }, 0);
    const workers = await Promise.all(['w1', 'w2', 'w3', 'w4'].map(async (owner) => ({ owner, store: await t.anotherHandle() })));
    const claims = await Promise.all(
      workers.flatMap(({ owner, store }) => [
        store.queue.claimDue(owner, 10, 60_000, 7, WORK),
        store.queue.claimDue(owner, 10, 60_000, 7, WORK),
        ...ids.slice(0, 5).map((id) => store.queue.claim(id, owner, 10, 60_000).then((j) => (j ? [j] : []))),
      ]),
    );
    const claimed = claims.flat().map((j) => j.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    const rest = await queue().claimDue('last', 10, 60_000, 100, WORK);
    expect([...claimed, ...rest.map((j) => j.id)].sort()).toEqual([...ids].sort());
  });

  test('a transaction that fails leaves nothing behind and announces nothing', async () => {
    let announced = 0;
    t.store().onWork(() => announced++);
    await expect(
      t.store().transaction(async (tx) => {
        await tx.queue.enqueue({ id: 'j1', kind: 'work', runAt: 0 }, 0);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await queue().get('j1')).toBeUndefined();
    expect(announced).toBe(0);
    await t.store().transaction((tx) => tx.queue.enqueue({ id: 'j2', kind: 'work', runAt: 0 }, 0));
    expect(announced).toBe(1);
  });

  test('jobs survive reopening the store', async () => {
    await queue().enqueue({ id: 'j1', kind: 'work', payload: { n: 1 }, runAt: 0 }, 0);
    const reopened = await t.reopen();
    expect(await reopened.queue.get('j1')).toMatchObject({ payload: { n: 1 } });
  });
});
