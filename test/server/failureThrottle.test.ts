import { RateLimiterMemory } from 'rate-limiter-flexible';
import { callerSource } from '../../src/server/callerSource';
import { createFailureCounter } from '../../src/server/failureCounters';
import { createFailureThrottle, delayAfter, FAILURE_THROTTLE_DEFAULTS, FailureCounter, FailureThrottleSettings } from '../../src/server/failureThrottle';
import { postgresKind, Storage } from '../store/storeKinds';
import { describeWithPostgres } from '../store/testDatabase';

const memoryCounter = () => new RateLimiterMemory({ points: 1_000_000, duration: 900 });

/** A throttle whose delays are recorded instead of waited, on an injected clock. */
function recordingThrottle(settings: Partial<FailureThrottleSettings>, counter: FailureCounter = memoryCounter()) {
  const clock = { now: 0 };
  const delays: number[] = [];
  const throttle = createFailureThrottle({
    counter,
    settings,
    now: () => clock.now,
    stopping: new AbortController().signal,
    wait: async (ms) => {
      delays.push(ms);
    },
  });
  return { throttle, delays, clock };
}

describe('the delay a failure earns', () => {
  test('doubles with each failure of the window, from 100 ms up to 5 s by default', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50, Infinity].map((n) => delayAfter(n, FAILURE_THROTTLE_DEFAULTS))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  test('is counted per source and per endpoint', async () => {
    const { throttle, delays } = recordingThrottle({ baseDelayMs: 10, maxDelayMs: 1000 });
    for (const [endpoint, source] of [['notifications', 'a'], ['notifications', 'a'], ['notifications', 'b'], ['admin', 'a'], ['notifications', 'a']] as const) {
      await throttle.failed(endpoint, source);
    }
    expect(delays).toEqual([10, 20, 10, 10, 40]);
  });

  test('is the longest when the failure cannot be counted', async () => {
    const { throttle, delays } = recordingThrottle({ baseDelayMs: 10, maxDelayMs: 1000 }, { penalty: () => Promise.reject(new Error('database down')) });
    expect(await throttle.failed('token', 'a')).toEqual({ kind: 'slowed', delayMs: 1000 });
    expect(delays).toEqual([1000]);
  });
});

describe('the memory a flood of sources can take', () => {
  test('beyond maxSources, new sources share one count, so they are slowed together', async () => {
    const { throttle, delays } = recordingThrottle({ baseDelayMs: 10, maxDelayMs: 10_000, maxSources: 3 });
    for (const source of ['a', 'b', 'c', 'd', 'e', 'f', 'a']) await throttle.failed('notifications', source);
    expect(delays).toEqual([10, 10, 10, 10, 20, 40, 20]);
  });

  test('sources whose last failure left the window make room for new ones', async () => {
    const { throttle, delays, clock } = recordingThrottle({ baseDelayMs: 10, maxDelayMs: 10_000, maxSources: 2, windowMs: 1000 });
    await throttle.failed('notifications', 'a');
    await throttle.failed('notifications', 'b');
    clock.now = 1001;
    await throttle.failed('notifications', 'c');
    await throttle.failed('notifications', 'd');
    expect(delays).toEqual([10, 10, 10, 10]);
  });
});

describe('failures held at once', () => {
  test('beyond maxHeld, failures are shed at once; the held ones are answered when the connector stops', async () => {
    const stopping = new AbortController();
    const throttle = createFailureThrottle({ counter: memoryCounter(), settings: { baseDelayMs: 60_000, maxDelayMs: 60_000, maxHeld: 2 }, now: Date.now, stopping: stopping.signal });
    const held = [throttle.failed('notifications', 'a'), throttle.failed('notifications', 'b')];
    expect(await throttle.failed('notifications', 'c')).toEqual({ kind: 'shed', retryAfterSeconds: 60 });
    stopping.abort();
    await expect(Promise.all(held)).resolves.toEqual([
      { kind: 'slowed', delayMs: 60_000 },
      { kind: 'slowed', delayMs: 60_000 },
    ]);
    // Room again once they are answered.
    expect((await throttle.failed('notifications', 'c')).kind).toBe('slowed');
  });
});

describeWithPostgres('failure counts in PostgreSQL', () => {
  let storage: Storage;
  beforeEach(async () => {
    storage = await postgresKind.create();
  });
  afterEach(() => storage.destroy());

  test('are shared by every instance on the store, so a balancer spreading guesses does not reset them', async () => {
    const [one, two] = [await storage.open(), await storage.open()];
    try {
      const first = recordingThrottle({ baseDelayMs: 10, maxDelayMs: 10_000 }, await createFailureCounter(one, 60_000));
      const second = recordingThrottle({ baseDelayMs: 10, maxDelayMs: 10_000 }, await createFailureCounter(two, 60_000));
      await first.throttle.failed('notifications', '192.0.2.1');
      await second.throttle.failed('notifications', '192.0.2.1');
      await first.throttle.failed('notifications', '192.0.2.1');
      expect([...first.delays, ...second.delays]).toEqual([10, 40, 20]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  test('instances starting together all set them up (the library\'s table is created by one at a time)', async () => {
    // Each round on a schema of its own, where the table does not exist yet: PostgreSQL refused one of two
    // concurrent CREATE TABLE IF NOT EXISTS ("type auth_failures already exists"), and that instance did not start.
    for (let round = 0; round < 5; round++) {
      const fresh = await postgresKind.create();
      const instances = await Promise.all(Array.from({ length: 8 }, () => fresh.open()));
      try {
        const counters = await Promise.all(instances.map((store) => createFailureCounter(store, 60_000)));
        expect(counters).toHaveLength(8);
      } finally {
        await Promise.all(instances.map((store) => store.close()));
        await fresh.destroy();
      }
    }
  });
});

describe('callerSource', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s counts as %s', (ip, source) => {
    expect(callerSource(ip)).toBe(source);
  });
});
