import { CallPacer } from '../../src/reconcile/pacer';

/** A clock whose sleeps only move its time forward, and record how long each was. */
function fakeClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    advance: (ms: number) => (now += ms),
    clock: {
      now: () => now,
      sleep: async (ms: number, signal?: AbortSignal) => {
        signal?.throwIfAborted();
        sleeps.push(ms);
        now += ms;
      },
    },
  };
}

describe('the reconciliation\'s call pacer', () => {
  test('spaces calls evenly at the rate given', async () => {
    const fake = fakeClock();
    const pacer = new CallPacer(4, fake.clock);
    for (let i = 0; i < 4; i++) await pacer.take();
    expect(fake.sleeps).toEqual([250, 250, 250]);
  });

  test('a call after a pause goes at once, and is not followed by a burst', async () => {
    const fake = fakeClock();
    const pacer = new CallPacer(2, fake.clock);
    await pacer.take();
    fake.advance(10_000);
    await pacer.take();
    await pacer.take();
    expect(fake.sleeps).toEqual([500]);
  });

  test('a fraction of a call per second is allowed', async () => {
    const fake = fakeClock();
    const pacer = new CallPacer(0.5, fake.clock);
    await pacer.take();
    await pacer.take();
    expect(fake.sleeps).toEqual([2000]);
  });

  test('an aborted wait rejects with the reason', async () => {
    const pacer = new CallPacer(1);
    await pacer.take();
    const stop = new AbortController();
    const waiting = pacer.take(stop.signal);
    stop.abort(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
  });
});
