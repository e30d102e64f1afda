import type { WebexSim } from '../../../sim/webex';
import { startFastSim } from './simTestKit';

describe('the simulator rate limit', () => {
  let sim: WebexSim;
  let api: Awaited<ReturnType<typeof startFastSim>>['api'];
  beforeAll(async () => {
    ({ sim, api } = await startFastSim({ rateLimitPerSecond: 10 }));
  });
  afterAll(() => sim.close());

  test('admits about one second of allowance in a burst and answers the rest 429 with Retry-After', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => api.get('/wholesale/customers', { params: { externalId: 'x' } })));
    const admitted = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429);
    // A burst takes milliseconds (under half a second even on a busy machine), so little refills during it.
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(15);
    expect(refused.length).toBe(30 - admitted);
    for (const answer of refused) expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
