import type { NotificationEntry } from '../../src/store/notificationIntake';
import { describeOnEachStore, freshStoreEachTest } from './storeKinds';

const entry = (token: string, ack: NotificationEntry['ack'] = null): NotificationEntry => ({
  token,
  eventUrl: `http://m/api/integration/v1/events/${token}`,
  ack,
  line: { kind: 'notified', first: 'first notice', repeat: 'notified again' },
  job: { id: `work:${token}`, kind: 'test.work', payload: { token }, runAt: 900 },
});

describeOnEachStore('the notification intake', (kind) => {
  const t = freshStoreEachTest(kind);

  test('a new token gets its record, its first line and its job, and the runner hears of the job', async () => {
    let announced = 0;
    t.store().onWork(() => announced++);
    const taken = await t.store().intake.accept(entry('t1', 'async'), 1000);
    expect(taken).toMatchObject({ created: true, record: { token: 't1', eventUrl: 'http://m/api/integration/v1/events/t1', ack: 'async', delivery: 'none', receivedAt: 1000, updatedAt: 1000, notifications: 1 } });
    expect(await t.store().journal.get('t1')).toEqual(taken.record);
    expect(await t.store().journal.timeline('t1')).toEqual([{ at: 1000, kind: 'notified', detail: 'first notice' }]);
    expect(await t.store().queue.get('work:t1')).toMatchObject({ kind: 'test.work', payload: { token: 't1' }, state: 'queued', runAt: 900, attempts: 0 });
    expect(announced).toBe(1);
  });

  test('a repeat is counted and lined, keeps the first answer promised, and queues nothing again', async () => {
    await t.store().intake.accept(entry('t1', 'async'), 1000);
    const job = await t.store().queue.get('work:t1');
    let announced = 0;
    t.store().onWork(() => announced++);
    const again = await t.store().intake.accept({ ...entry('t1', null), job: { id: 'work:t1', kind: 'other', runAt: 5000 } }, 2000);
    expect(again).toMatchObject({ created: false, record: { ack: 'async', receivedAt: 1000, updatedAt: 2000, notifications: 2 } });
    expect((await t.store().journal.timeline('t1')).map((line) => line.detail)).toEqual(['first notice', 'notified again']);
    expect(await t.store().queue.get('work:t1')).toEqual(job);
    expect(announced).toBe(0);
  });

  test('a finished job of a forgotten token starts afresh; a queued one is left as it is', async () => {
    const store = t.store();
    await store.queue.enqueue({ id: 'work:t2', kind: 'test.work', runAt: 10 }, 10);
    const [claimed] = await store.queue.claimDue('me', 20, 1000, 1, ['test.work']);
    await store.queue.finish(claimed.lease, 'done', 30);
    await store.intake.accept(entry('t2'), 1000);
    expect(await store.queue.get('work:t2')).toMatchObject({ state: 'queued', runAt: 900, payload: { token: 't2' }, attempts: 0 });

    await store.queue.enqueue({ id: 'work:t3', kind: 'test.work', payload: { kept: true }, runAt: 10 }, 10);
    await store.intake.accept(entry('t3'), 1000);
    expect(await store.queue.get('work:t3')).toMatchObject({ state: 'queued', runAt: 10, payload: { kept: true } });
  });

  test('notifications of one token arriving together make one record, one job and a line each', async () => {
    const handles = await Promise.all([t.store(), await t.anotherHandle()]);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => handles[i % 2].intake.accept(entry('t4'), 1000 + i)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await t.store().journal.get('t4'))?.notifications).toBe(8);
    expect(await t.store().journal.timeline('t4')).toHaveLength(8);
    expect((await t.store().queue.get('work:t4'))?.state).toBe('queued');
  });

  test('many notifications at once are each taken in whole, inside a transaction too', async () => {
    const store = t.store();
    const tokens = Array.from({ length: 120 }, (_, i) => `m${i}`);
    const taken = await Promise.all(tokens.map((token, i) => store.intake.accept(entry(token, i % 2 ? 'async' : null), 2000 + i)));
    expect(taken.map((one) => [one.record.token, one.created, one.record.receivedAt, one.record.ack])).toEqual(tokens.map((token, i) => [token, true, 2000 + i, i % 2 ? 'async' : null]));
    for (const token of [tokens[0], tokens[77], tokens[119]]) {
      expect(await store.journal.timeline(token)).toHaveLength(1);
      expect((await store.queue.get(`work:${token}`))?.payload).toEqual({ token });
    }
    const inside = await store.transaction(async (tx) => [await tx.intake.accept(entry('m0'), 3000), await tx.intake.accept(entry('n1'), 3000)]);
    expect(inside.map((one) => [one.created, one.record.notifications])).toEqual([
      [false, 2],
      [true, 1],
    ]);
    expect((await store.queue.stats())['test.work']?.count).toBe(121);
  });

  test('a notification the database refuses fails alone, and the others arriving with it are taken in', async () => {
    const store = t.store();
    // PostgreSQL refuses a NUL character in text; SQLite keeps it.
    const refused = { ...entry('bad'), line: { kind: 'notified', first: 'first \u0000 notice', repeat: 'again' } };
    const outcomes = await Promise.allSettled([entry('g1'), refused, entry('g2')].map((one) => store.intake.accept(one, 1000)));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', kind.name === 'postgres' ? 'rejected' : 'fulfilled', 'fulfilled']);
    expect(await store.journal.get('g1')).toBeDefined();
    expect(await store.journal.get('g2')).toBeDefined();
    expect((await store.queue.stats())['test.work']?.count).toBe(kind.name === 'postgres' ? 2 : 3);
  });
});
