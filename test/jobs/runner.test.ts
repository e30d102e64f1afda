import { systemClock } from '../../src/clock';
import { JobContext, JobHandler, JobOutcome, JobRunner, RunnerSettings } from '../../src/jobs/runner';
import type { Store } from '../../src/store';
import { eventually } from '../support/harness';
import { capturingLogger } from '../support/logCapture';
import { describeOnEachStore, freshStoreEachTest } from '../store/storeKinds';

/** A handler whose attempts the test releases one by one. */
function gatedHandler(kind = 'test') {
  const started: Array<JobContext<unknown>> = [];
  const gates: Array<(outcome: JobOutcome) => void> = [];
  const handler: JobHandler = {
    kind,
    run: (ctx) =>
      new Promise<JobOutcome>((resolve) => {
        started.push(ctx);
        gates.push(resolve);
      }),
  };
  return { handler, started, release: (i: number, outcome: JobOutcome = { kind: 'finish' }) => gates[i](outcome) };
}

const settings = (over: Partial<RunnerSettings> = {}): RunnerSettings => ({ concurrency: 2, leaseMs: 60_000, idlePollMs: 50, retryBaseMs: 10, retryMaxMs: 50, ...over });

describeOnEachStore('the job runner', (kind) => {
  const t = freshStoreEachTest(kind);
  const runners: JobRunner[] = [];
  const runner = (store: Store, handlers: JobHandler[], over: Partial<RunnerSettings> = {}, sweeps = []) => {
    const r = new JobRunner({ store, logger: capturingLogger().logger, clock: systemClock, handlers, sweeps }, settings(over));
    runners.push(r);
    return r;
  };
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop(0)));
  });

  test('a queued job is worked at once, and what the handler commits joins the end of the job', async () => {
    const { handler, started, release } = gatedHandler();
    await runner(t.store(), [handler]).start();
    await t.store().queue.enqueue({ id: 'j1', kind: 'test', payload: { n: 1 }, runAt: Date.now() }, Date.now());
    await eventually(() => expect(started).toHaveLength(1));
    expect(started[0].job).toMatchObject({ id: 'j1', payload: { n: 1 } });
    release(0, { kind: 'finish', commit: (tx) => tx.journal.addTimeline('j1', 'test', 'committed with the job', Date.now()) });
    await eventually(async () => expect(await t.store().queue.get('j1')).toMatchObject({ state: 'done' }));
    expect((await t.store().journal.timeline('j1')).map((e) => e.detail)).toEqual(['committed with the job']);
  });

  test('only kinds it has handlers for are taken', async () => {
    const { handler, started } = gatedHandler('mine');
    await runner(t.store(), [handler]).start();
    await t.store().queue.enqueue({ id: 'theirs', kind: 'other', runAt: 0 }, 0);
    await t.store().queue.enqueue({ id: 'mine', kind: 'mine', runAt: 0 }, 0);
    await eventually(() => expect(started.map((c) => c.job.id)).toEqual(['mine']));
    expect(await t.store().queue.get('theirs')).toMatchObject({ state: 'queued', leaseOwner: undefined });
  });

  test('a rescheduled job comes back when it is due, not before', async () => {
    const { handler, started, release } = gatedHandler();
    await runner(t.store(), [handler]).start();
    const enqueuedAt = Date.now();
    await t.store().queue.enqueue({ id: 'j1', kind: 'test', runAt: enqueuedAt }, enqueuedAt);
    await eventually(() => expect(started).toHaveLength(1));
    const comeBackAt = Date.now() + 300;
    release(0, { kind: 'later', runAt: comeBackAt, failed: false, waitingFor: 'Webex is busy' });
    await eventually(() => expect(started).toHaveLength(2));
    expect(Date.now()).toBeGreaterThanOrEqual(comeBackAt);
    expect(started[1].job).toMatchObject({ attempts: 0, waitingFor: 'Webex is busy' });
    release(1);
  });

  test('a kind held back (Webex busy) stays unclaimed until the hold ends, and the runner does not poll the queue meanwhile', async () => {
    const { handler, started, release } = gatedHandler();
    const store = t.store();
    let queueReads = 0;
    const counting = new Proxy(store.queue, {
      get: (target, method) => {
        const value = Reflect.get(target, method);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (method === 'claimDue' || method === 'nextDueAt') queueReads++;
          return value.apply(target, args);
        };
      },
    });
    const holdUntil = Date.now() + 600;
    const r = new JobRunner(
      { store: { ...store, queue: counting }, logger: capturingLogger().logger, clock: systemClock, handlers: [handler], sweeps: [], holdsFor: () => holdUntil - Date.now() },
      settings({ idlePollMs: 60_000 }),
    );
    runners.push(r);
    await r.start();
    await store.queue.enqueue({ id: 'j1', kind: 'test', runAt: 0 }, 0);
    await eventually(() => expect(started).toHaveLength(1));
    expect(Date.now()).toBeGreaterThanOrEqual(holdUntil);
    // A runner that looked again whenever the held job was due would have read the queue hundreds of times.
    expect(queueReads).toBeLessThan(10);
    release(0);
  });

  test('a long attempt keeps its claim through heartbeats, past its first lease', async () => {
    const { handler, started, release } = gatedHandler();
    await runner(t.store(), [handler], { leaseMs: 400 }).start();
    await t.store().queue.enqueue({ id: 'j1', kind: 'test', runAt: 0 }, 0);
    await eventually(() => expect(started).toHaveLength(1));
    const firstLeaseEnds = (await t.store().queue.get('j1'))!.leaseUntil!;
    // Renewed twice over: the claim now outlives the first lease by more than a whole lease.
    await eventually(async () => expect((await t.store().queue.get('j1'))!.leaseUntil!).toBeGreaterThan(firstLeaseEnds + 400), 10_000);
    expect(Date.now()).toBeGreaterThan(firstLeaseEnds);
    const other = await t.anotherHandle();
    expect(await other.queue.claim('j1', 'someone-else', Date.now(), 400)).toBeUndefined();
    release(0);
    await eventually(async () => expect(await t.store().queue.get('j1')).toMatchObject({ state: 'done' }));
  });

  test('an attempt whose claim is lost is told to stop, and what it then says changes nothing', async () => {
    const { handler, started, release } = gatedHandler();
    await runner(t.store(), [handler], { leaseMs: 300 }).start();
    await t.store().queue.enqueue({ id: 'j1', kind: 'test', runAt: 0 }, 0);
    await eventually(() => expect(started).toHaveLength(1));
    // Another worker takes the job over (as after a lease that ran out while this process was frozen).
    await t.store().queue.releaseClaims('all', Date.now());
    const thief = await t.store().queue.claim('j1', 'thief', Date.now(), 60_000);
    expect(thief).toBeDefined();
    await eventually(() => expect(started[0].signal.aborted).toBe(true), 10_000);
    release(0, { kind: 'finish', commit: (tx) => tx.journal.addTimeline('j1', 'test', 'should not be written', Date.now()) });
    await eventually(async () => expect(await t.store().queue.get('j1')).toMatchObject({ state: 'queued', leaseOwner: 'thief' }));
    expect(await t.store().journal.timeline('j1')).toEqual([]);
  });

  test('an attempt that throws what its handler did not expect is retried with backoff and counted', async () => {
    let calls = 0;
    const flaky: JobHandler = {
      kind: 'test',
      run: async () => {
        calls += 1;
        if (calls === 1) throw new Error('surprise');
        return { kind: 'finish' };
      },
    };
    await runner(t.store(), [flaky]).start();
    await t.store().queue.enqueue({ id: 'j1', kind: 'test', runAt: 0 }, 0);
    await eventually(async () => expect(await t.store().queue.get('j1')).toMatchObject({ state: 'done', attempts: 1 }));
    expect(calls).toBe(2);
  });

  test('sweeps run on their timer, or only when asked', async () => {
    let swept = 0;
    const sweep = { name: 'count', everyMs: 50, run: async () => void (swept += 1) };
    const manual = runner(t.store(), [], { manualSweeps: true }, [sweep] as never);
    await manual.start();
    await manual.runSweeps();
    expect(swept).toBe(1);
    await manual.stop(0);
    await runner(t.store(), [], {}, [sweep] as never).start();
    await eventually(() => expect(swept).toBeGreaterThanOrEqual(3));
  });

  if (kind.shared) {
    test('an instance restarting alone takes its own unfinished jobs back at once, not after their lease', async () => {
      const first = gatedHandler();
      const crashed = runner(t.store(), [first.handler], { instanceId: 'blue:5002', leaseMs: 60_000 });
      await crashed.start();
      await t.store().queue.enqueue({ id: 'j1', kind: 'test', runAt: 0 }, 0);
      await eventually(() => expect(first.started).toHaveLength(1));
      await crashed.stop(0); // as if killed: the claim stays in the store with most of its minute left
      const store = await t.anotherHandle();
      const again = gatedHandler();
      await runner(store, [again.handler], { instanceId: 'blue:5002' }).start();
      // Taken back within moments, where another instance would wait out the rest of the minute-long lease
      // (claims of other instances' previous runs are left alone: see the queue's tests).
      await eventually(() => expect(again.started.map((c) => c.job.id)).toEqual(['j1']), 10_000);
      expect(again.started[0].job.lease.owner).toMatch(/^blue:5002\//);
      again.release(0);
    });
  }
});
