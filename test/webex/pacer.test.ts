import { startWebexSim } from '../../sim/webex';
import { WebexHttp } from '../../src/webex/http';
import { WebexPacer } from '../../src/webex/pacer';
import { SECRETS } from '../support/env';
import { capturingLogger } from '../support/logCapture';

/** A clock the test moves: sleeping advances it, so the pacer's waits are exact and instant. */
function manualTime() {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => now,
    advance: (ms: number) => (now += ms),
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    slept,
  };
}

describe('the Webex pacer', () => {
  test('spaces calls at the configured rate', async () => {
    const t = manualTime();
    const pacer = new WebexPacer({ maxPerSecond: 4, now: t.now, sleep: t.sleep });
    for (let i = 0; i < 4; i++) await pacer.acquire();
    expect(t.slept).toEqual([250, 250, 250]);
  });

  /** `count` calls Webex took, one second after the last batch. */
  const aSecondOf = (t: ReturnType<typeof manualTime>, pacer: WebexPacer, count: number) => {
    t.advance(1000);
    for (let i = 0; i < count; i++) pacer.succeeded();
  };

  test('without a configured rate it starts at 100 a second and grows by half each second the calls go at that pace, until Webex first says no', async () => {
    const t = manualTime();
    const pacer = new WebexPacer({ now: t.now, sleep: t.sleep });
    await pacer.acquire();
    await pacer.acquire();
    expect(t.slept).toEqual([10]); // 100 a second
    aSecondOf(t, pacer, 20); // far below the pace: nothing learnt
    aSecondOf(t, pacer, 60); // below the pace: a pace the connector does not use does not grow
    aSecondOf(t, pacer, 95); // about the pace: 150
    aSecondOf(t, pacer, 140); // 225
    t.slept.length = 0;
    await pacer.acquire();
    await pacer.acquire();
    expect(t.slept.at(-1)).toBeCloseTo(1000 / 225, 5);
  });

  test('a 429 for a call sent at the pace pauses every call for its Retry-After and sets the pace below what Webex admitted; then it grows slowly', async () => {
    const t = manualTime();
    const pacer = new WebexPacer({ initialPerSecond: 20, now: t.now, sleep: t.sleep });
    aSecondOf(t, pacer, 30); // the slow start grows: 20 → 30 a second
    const sentEarlier = await pacer.acquire();
    const sent = await pacer.acquire();
    pacer.throttled(sent, 2000);
    expect(pacer.backlogMs()).toBeGreaterThanOrEqual(2000);
    pacer.throttled(sentEarlier, 2000); // sent before the pace dropped: it drops once
    t.slept.length = 0;
    await pacer.acquire();
    await pacer.acquire();
    // Paused, then spaced at 90 % of the 30 calls Webex took in the last second.
    expect(t.slept.at(-1)).toBeCloseTo(1000 / 27, 5);
    aSecondOf(t, pacer, 27);
    t.slept.length = 0;
    await pacer.acquire();
    await pacer.acquire();
    expect(t.slept.at(-1)).toBeCloseTo(1000 / 28, 5); // + at least one call a second, not by half any more
  });

  test('a 429 for a call sent after the pace dropped means it is still too fast: it drops again', async () => {
    const t = manualTime();
    const pacer = new WebexPacer({ initialPerSecond: 100, now: t.now, sleep: t.sleep });
    aSecondOf(t, pacer, 100); // 150
    pacer.throttled(await pacer.acquire(), 1000); // 90 % of min(150, 100 admitted) = 90
    t.advance(300);
    for (let i = 0; i < 80; i++) pacer.succeeded();
    pacer.throttled(await pacer.acquire(), 1000); // 90 % of min(90, 80 admitted in the last second) = 72
    t.slept.length = 0;
    await pacer.acquire();
    await pacer.acquire();
    expect(t.slept.at(-1)).toBeCloseTo(1000 / 72, 5);
  });

  test('a 429 soon after a pause, with few calls since the pace dropped, is not the pace\'s doing: refusals at random do not wear the pace down', async () => {
    const t = manualTime();
    const pacer = new WebexPacer({ initialPerSecond: 100, now: t.now, sleep: t.sleep });
    aSecondOf(t, pacer, 100); // 150
    pacer.throttled(await pacer.acquire(), 1000); // paused a second, then 90 % of min(150, 100 admitted) = 90
    t.advance(1600);
    for (let i = 0; i < 54; i++) pacer.succeeded(); // 0.6 s at the pace after the pause: 34 a second since the drop
    pacer.throttled(await pacer.acquire(), 1000);
    expect(pacer.backlogMs()).toBeLessThanOrEqual(1000 / 90 + 1e-9);
    t.slept.length = 0;
    await pacer.acquire();
    await pacer.acquire();
    expect(t.slept.at(-1)).toBeCloseTo(1000 / 90, 5);
  });

  test('a 429 while the calls go far below the pace (a fault, not the limit) changes nothing for the other calls', async () => {
    const t = manualTime();
    const pacer = new WebexPacer({ initialPerSecond: 20, now: t.now, sleep: t.sleep });
    aSecondOf(t, pacer, 3);
    pacer.throttled(await pacer.acquire(), 500);
    expect(pacer.backlogMs()).toBeLessThanOrEqual(50);
    t.slept.length = 0;
    await pacer.acquire();
    await pacer.acquire();
    expect(t.slept.at(-1)).toBe(50); // still 20 a second
  });

  test('a configured allowance (divided among instances) is kept as it is', async () => {
    const t = manualTime();
    const pacer = new WebexPacer({ maxPerSecond: 10, now: t.now, sleep: t.sleep });
    pacer.share(5);
    t.advance(5000);
    pacer.succeeded();
    await pacer.acquire();
    await pacer.acquire();
    expect(t.slept.at(-1)).toBeCloseTo(200, 5);
  });
});

test('against a rate-limited Webex, paced calls are refused rarely where unpaced ones are refused often', async () => {
  const sim = await startWebexSim({ token: SECRETS.webexToken, rateLimitPerSecond: 40 });
  const http = (pacer?: WebexPacer) =>
    new WebexHttp({ baseUrl: sim.url, getToken: () => SECRETS.webexToken, logger: capturingLogger().logger, pacer, maxAttempts: 20, backoffBaseMs: 50, maxWaitMs: 2000 });
  const burst = async (client: WebexHttp) => {
    sim.reset();
    await Promise.all(Array.from({ length: 240 }, () => client.request('GET', '/wholesale/customers', { query: { externalId: 'x' } })));
    const refused = sim.calls.filter((c) => c.status === 429).length;
    return refused / sim.calls.length;
  };
  try {
    const unpaced = await burst(http());
    // Starting below the limit, as a connector does whose limit is higher than its first pace.
    const paced = await burst(http(new WebexPacer({ initialPerSecond: 20 })));
    expect(unpaced).toBeGreaterThan(0.3);
    expect(paced).toBeLessThan(0.05);
  } finally {
    await sim.close();
  }
}, 90_000);

test('many jobs at once, a pace that starts above the limit and answers that take time: the pace comes down, and 429s stay rare', async () => {
  // The shape of a backlog: the 429s answer calls sent a round trip ago, while many more are on their way.
  const sim = await startWebexSim({ token: SECRETS.webexToken, rateLimitPerSecond: 50, latencyMs: 200 });
  const pacer = new WebexPacer({ initialPerSecond: 100 });
  const http = new WebexHttp({ baseUrl: sim.url, getToken: () => SECRETS.webexToken, logger: capturingLogger().logger, pacer, maxAttempts: 50 });
  try {
    let admitted = 0;
    const job = async () => {
      while (admitted < 400) {
        await http.request('GET', '/wholesale/customers', { query: { externalId: 'x' } });
        admitted++;
      }
    };
    await Promise.all(Array.from({ length: 150 }, job));
    const refused = sim.calls.filter((c) => c.status === 429).length;
    expect(refused / sim.calls.length).toBeLessThan(0.1);
  } finally {
    await sim.close();
  }
}, 90_000);
