import { success } from '../../src/appdirect/results';
import { describeOnEachStore, freshStoreEachTest } from './storeKinds';

describeOnEachStore('the event journal', (kind) => {
  const t = freshStoreEachTest(kind);
  const journal = () => t.store().journal;

  test('journals a notification once and counts repeats', async () => {
    const first = await journal().record('t1', 'http://m/api/integration/v1/events/t1', 1000);
    const again = await journal().record('t1', 'http://m/api/integration/v1/events/t1', 2000);
    expect(first).toMatchObject({ created: true, record: { token: 't1', ack: null, delivery: 'none', receivedAt: 1000, notifications: 1 } });
    expect(again).toMatchObject({ created: false, record: { notifications: 2, receivedAt: 1000, updatedAt: 2000 } });
    expect(await journal().get('unknown')).toBeUndefined();
  });

  test('the fetched event is saved with what it says about itself', async () => {
    await journal().record('t1', 'u', 0);
    const event = { type: 'SUBSCRIPTION_ORDER', flag: 'DEVELOPMENT', payload: { company: { uuid: 'c1' } } };
    await journal().saveEvent('t1', { event, type: event.type, flag: event.flag, accountId: 'c1' }, 5);
    expect(await journal().get('t1')).toMatchObject({ event, type: 'SUBSCRIPTION_ORDER', flag: 'DEVELOPMENT', accountId: 'c1', updatedAt: 5 });
  });

  test('a result is stored once; promised asynchronously, it is due for delivery', async () => {
    await journal().record('t1', 'u', 0);
    expect((await journal().ackAsync('t1', 10))?.ack).toBe('async');
    expect(await journal().complete('t1', success({ accountIdentifier: 'acc' }), 20)).toEqual({ ack: 'async' });
    expect(await journal().complete('t1', success({ accountIdentifier: 'other' }), 21)).toBeUndefined();
    expect(await journal().get('t1')).toMatchObject({ delivery: 'pending', finishedAt: 20, result: { success: true, accountIdentifier: 'acc' } });
    expect(await journal().ackSync('t1', 30)).toBe(false);
    await journal().markDelivered('t1', 40);
    expect((await journal().get('t1'))?.delivery).toBe('delivered');
  });

  test('lists an account\'s unfinished events of a type that arrived before a given one, the token breaking a tie', async () => {
    const fetched = async (token: string, at: number, type: string, accountId: string) => {
      await journal().record(token, 'u', at);
      await journal().saveEvent(token, { event: { token }, type, accountId }, at);
    };
    await fetched('a1', 10, 'USER_ASSIGNMENT', 'acc');
    await fetched('b2', 20, 'USER_ASSIGNMENT', 'acc');
    await fetched('b1', 20, 'USER_ASSIGNMENT', 'acc');
    await fetched('c1', 15, 'USER_ASSIGNMENT', 'other');
    await fetched('d1', 15, 'USER_UNASSIGNMENT', 'acc');
    await fetched('e1', 5, 'USER_ASSIGNMENT', 'acc');
    await journal().complete('e1', success(), 6);
    const before = async (token: string, receivedAt: number) => (await journal().unfinishedBefore('acc', 'USER_ASSIGNMENT', { receivedAt, token })).map((r) => r.token);
    expect(await before('b2', 20)).toEqual(['a1', 'b1']);
    expect(await before('b1', 20)).toEqual(['a1']);
    expect(await before('a1', 10)).toEqual([]);
    expect((await journal().unfinishedBefore('acc', 'USER_ASSIGNMENT', { receivedAt: 30, token: 'z' }))[0].event).toEqual({ token: 'a1' });
  });

  test('tells whether an event of some accounts is still being worked on', async () => {
    await journal().record('t1', 'u', 0);
    await journal().saveEvent('t1', { event: {}, type: 'USER_UNASSIGNMENT', accountId: 'a' }, 1);
    expect(await journal().inFlightFor(['a', 'b'])).toBe(true);
    expect(await journal().inFlightFor(['b'])).toBe(false);
    expect(await journal().inFlightFor([])).toBe(false);
    await journal().complete('t1', success(), 2);
    expect(await journal().inFlightFor(['a'])).toBe(false);
  });

  test('a refused delivery keeps AppDirect’s reason', async () => {
    await journal().record('t1', 'u', 0);
    await journal().ackAsync('t1', 1);
    await journal().complete('t1', success(), 2);
    await journal().markDeliveryRejected('t1', 'event gone', 3);
    expect(await journal().get('t1')).toMatchObject({ delivery: 'rejected', deliveryError: 'event gone' });
  });

  test('a result that arrives before the budget runs out is answered in the response', async () => {
    await journal().record('t1', 'u', 0);
    expect(await journal().complete('t1', success(), 20)).toEqual({ ack: null });
    expect(await journal().ackSync('t1', 21)).toBe(true);
    // giving up afterwards changes nothing: the answer was already given
    expect((await journal().ackAsync('t1', 22))?.ack).toBe('sync');
    expect((await journal().get('t1'))?.delivery).toBe('none');
  });

  test('however complete and ackAsync race, the result is answered in the response or delivered, never both', async () => {
    const tokens = Array.from({ length: 30 }, (_, i) => `race-${i}`);
    const other = await t.anotherHandle();
    for (const token of tokens) await journal().record(token, 'u', 0);
    const completions = new Map<string, string | null>();
    await Promise.all(
      tokens.map((token) =>
        Promise.all([journal().complete(token, success(), 5).then((c) => completions.set(token, c?.ack ?? null)), other.journal.ackAsync(token, 5)]),
      ),
    );
    for (const token of tokens) {
      const record = (await journal().get(token))!;
      const answeredInResponse = record.ack === 'sync';
      const toDeliver = completions.get(token) === 'async' && record.delivery === 'pending';
      expect({ token, answeredInResponse, toDeliver }).toEqual({ token, answeredInResponse: !toDeliver, toDeliver: !answeredInResponse });
    }
  });

  test('a notification whose request died unanswered is promised a later result', async () => {
    await journal().record('t1', 'u', 0);
    await journal().complete('t1', success(), 20);
    await journal().record('t2', 'u', 0);
    await journal().record('t3', 'u', 50);
    expect(await journal().adoptUnanswered(10, 100)).toEqual([{ token: 't1', receivedAt: 0 }]);
    expect(await journal().get('t1')).toMatchObject({ ack: 'async', delivery: 'pending' });
    expect(await journal().get('t2')).toMatchObject({ ack: 'async', delivery: 'none' });
    expect((await journal().get('t3'))?.ack).toBeNull();
  });

  test('an operator’s retry reopens a finished event, not one still running or being delivered', async () => {
    await journal().record('t1', 'u', 0);
    expect(await journal().reopen('t1', 1)).toBe(false);
    await journal().ackAsync('t1', 2);
    await journal().complete('t1', success(), 3);
    expect(await journal().reopen('t1', 4)).toBe(false); // its result is being delivered
    await journal().markDeliveryRejected('t1', 'gone', 5);
    expect(await journal().reopen('t1', 10)).toBe(true);
    expect(await journal().get('t1')).toMatchObject({ ack: 'async', result: undefined, delivery: 'none', deliveryError: undefined, retriedAt: 10 });
  });

  test('the timeline keeps entries in order', async () => {
    await journal().addTimeline('t1', 'a', 'one', 1);
    await journal().addTimeline('t1', 'b', 'two', 1);
    await journal().addTimeline('t2', 'c', 'other', 1);
    expect(await journal().timeline('t1')).toEqual([
      { at: 1, kind: 'a', detail: 'one' },
      { at: 1, kind: 'b', detail: 'two' },
    ]);
  });

  test('recent lists the newest notifications first', async () => {
    for (const [token, at] of [['old', 1], ['new', 3], ['mid', 2]] as const) await journal().record(token, 'u', at);
    expect((await journal().recent(2)).map((r) => r.token)).toEqual(['new', 'mid']);
  });

  describe('waiting for an outcome', () => {
    test('hears a result recorded in this process at once', async () => {
      await journal().record('t1', 'u', 0);
      const waiting = journal().awaitOutcome('t1', 30_000);
      await journal().complete('t1', success({ message: 'done' }), 1);
      await expect(waiting).resolves.toMatchObject({ settled: true, record: { result: { message: 'done' } } });
    });

    test('finds a result recorded by another instance', async () => {
      const other = await t.anotherHandle();
      await journal().record('t1', 'u', 0);
      const waiting = journal().awaitOutcome('t1', 30_000);
      await other.journal.complete('t1', success(), 1);
      await expect(waiting).resolves.toMatchObject({ settled: true });
    });

    test('says "not yet" when the budget runs out or the wait is called off', async () => {
      await journal().record('t1', 'u', 0);
      await expect(journal().awaitOutcome('t1', 50)).resolves.toMatchObject({ settled: false, record: { token: 't1' } });
      const stop = new AbortController();
      const waiting = journal().awaitOutcome('t1', 30_000, stop.signal);
      stop.abort();
      await expect(waiting).resolves.toMatchObject({ settled: false });
    });

    test('a result committed in a transaction is heard only once it is committed', async () => {
      await journal().record('t1', 'u', 0);
      const waiting = journal().awaitOutcome('t1', 30_000);
      await t.store().transaction(async (tx) => {
        await tx.journal.complete('t1', success(), 1);
      });
      await expect(waiting).resolves.toMatchObject({ settled: true });
    });
  });

  test('a nonce is accepted once until it expires', async () => {
    const nonces = t.store().nonces;
    expect(await nonces.useOnce('n', 100, 0)).toBe(true);
    expect(await nonces.useOnce('n', 100, 50)).toBe(false);
    expect(await nonces.useOnce('n', 100, 100)).toBe(false);
    expect(await nonces.useOnce('n', 300, 200)).toBe(true);
  });

  test('a nonce presented to several instances at once is accepted by exactly one', async () => {
    const handles = await Promise.all([1, 2, 3, 4].map(() => t.anotherHandle()));
    const verdicts = await Promise.all(handles.flatMap((handle) => [handle.nonces.useOnce('shared', 1000, 0), handle.nonces.useOnce('shared', 1000, 0)]));
    expect(verdicts.filter(Boolean)).toHaveLength(1);
  });
});
