import axios, { type AxiosInstance } from 'axios';
import type { WebexSim } from '../../../sim/webex';
import { customerBody, startFastSim } from './simTestKit';

describe('webex sim: fault injection', () => {
  let sim: WebexSim;
  let api: AxiosInstance;
  beforeAll(async () => {
    ({ sim, api } = await startFastSim());
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  it('answers a queued 429 with Retry-After and a Webex body, once, without touching state', async () => {
    sim.faults.next({ method: 'POST', pathPrefix: '/wholesale/customers', status: 429, retryAfterSeconds: 7 });
    const limited = await api.post('/wholesale/customers', customerBody('f-1'));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.data).toMatchObject({ message: expect.any(String), errors: [{ description: expect.any(String) }], trackingId: limited.headers.trackingid });
    expect(sim.state.customers.size).toBe(0);

    expect((await api.post('/wholesale/customers', customerBody('f-1'))).status).toBe(202);
    expect(sim.calls.map((c) => [c.status, c.injectedFault ?? false])).toEqual([[429, true], [202, false]]);
  });

  it('matches queued faults by method and path prefix, in order, `times` times', async () => {
    sim.faults.next({ pathPrefix: '/v1/people', status: 503, times: 2 });
    sim.faults.next({ method: 'GET', status: 423 });
    const statuses: number[] = [];
    statuses.push((await api.get('/locations')).status);
    statuses.push((await api.get('/people')).status);
    statuses.push((await api.get('/people')).status);
    statuses.push((await api.get('/people')).status);
    expect(statuses).toEqual([423, 503, 503, 200]);
    expect(sim.calls[0]?.responseHeaders['retry-after']).toBe('1');
    expect(sim.calls[1]?.responseHeaders['retry-after']).toBeUndefined();
  });

  it('destroys the socket for a reset fault: the client sees a connection error', async () => {
    sim.faults.next({ pathPrefix: '/wholesale/subscribers', reset: true });
    const failure = await api.get('/wholesale/subscribers').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(axios.isAxiosError(failure)).toBe(true);
    expect(axios.isAxiosError(failure) && (failure.code === 'ECONNRESET' || /socket hang up/.test(failure.message))).toBe(true);
    expect(sim.calls).toEqual([expect.objectContaining({ path: '/wholesale/subscribers', status: 0, injectedFault: true })]);
    expect((await api.get('/wholesale/subscribers')).status).toBe(200);
  });

  it('injects at random from a seed, and the same seed repeats the same pattern', async () => {
    const run = async () => {
      sim.reset();
      sim.faults.rate({ probability: 0.4, statuses: [500, 502, 429], seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 25; i += 1) statuses.push((await api.get('/locations')).status);
      return statuses;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter((s) => s !== 200).length).toBeGreaterThan(0);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(new Set(first)).toEqual(new Set(first.filter((s) => [200, 500, 502, 429].includes(s))));
    sim.faults.clear();
    expect((await api.get('/locations')).status).toBe(200);
  });

  it('can reset sockets at random too', async () => {
    sim.faults.rate({ probability: 0, statuses: [], resetProbability: 1, seed: 7 });
    await expect(api.get('/locations')).rejects.toThrow();
    expect(sim.calls[0]).toMatchObject({ status: 0, injectedFault: true });
  });

  it('adds latency to every answer when asked, without changing results', async () => {
    sim.setLatency(20);
    expect((await api.get('/locations')).status).toBe(200);
    sim.setLatency(0);
  });
});
