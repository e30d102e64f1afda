import { startWebexSim, type WebexSim } from '../../../sim/webex';
import { simClient } from './simTestKit';

describe('webex sim: authentication and error shape', () => {
  let sim: WebexSim;
  beforeAll(async () => {
    sim = await startWebexSim({ token: 'right-token' });
  });
  afterAll(() => sim.close());

  it('serves under /v1 on 127.0.0.1', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('rejects a missing token with 401, a Webex error body and a trackingid header', async () => {
    const res = await simClient(sim, 'right-token').get('/wholesale/customers', { headers: { Authorization: '' } });
    expect(res.status).toBe(401);
    expect(res.headers.trackingid).toMatch(/^SIM_/);
    expect(res.data).toEqual({
      message: expect.any(String),
      errors: [{ description: expect.any(String) }],
      trackingId: res.headers.trackingid,
    });
  });

  it('rejects a wrong token and accepts the configured one', async () => {
    expect((await simClient(sim, 'wrong').get('/wholesale/customers')).status).toBe(401);
    const ok = await simClient(sim, 'right-token').get('/wholesale/customers');
    expect(ok.status).toBe(200);
    expect(ok.data).toEqual({ items: [] });
    expect(ok.headers.trackingid).toMatch(/^SIM_/);
  });

  it('answers unknown endpoints and malformed JSON with Webex errors', async () => {
    const api = simClient(sim, 'right-token');
    const unknown = await api.get('/nothing/here');
    expect(unknown.status).toBe(404);
    expect(unknown.data.errors[0].description).toContain('/nothing/here');
    const malformed = await api.post('/wholesale/customers', '{"broken"', { headers: { 'Content-Type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.data.trackingId).toBe(malformed.headers.trackingid);
  });

  it('records every answered call, including rejected ones', async () => {
    sim.reset();
    await simClient(sim, 'wrong').get('/people', { params: { email: 'a@b.c' } });
    expect(sim.calls).toEqual([
      expect.objectContaining({ method: 'GET', path: '/people', query: { email: 'a@b.c' }, status: 401 }),
    ]);
    expect(sim.calls[0]?.responseHeaders.trackingid).toMatch(/^SIM_/);
    expect(sim.countCalls({ method: 'get', pathPrefix: '/people' })).toBe(1);
    expect(sim.countCalls({ pathPrefix: '/wholesale' })).toBe(0);
  });
});

describe('webex sim: extra route modules', () => {
  it('mounts them under /v1 behind the same auth, recording and faults', async () => {
    const { Router } = await import('express');
    const sim = await startWebexSim({}, [() => Router().get('/ping', (_req, res) => void res.json({ pong: true }))]);
    try {
      const api = simClient(sim);
      expect((await api.get('/ping')).data).toEqual({ pong: true });
      expect((await simClient(sim, 'wrong').get('/ping')).status).toBe(401);
      sim.faults.next({ pathPrefix: '/ping', status: 502 });
      expect((await api.get('/ping')).status).toBe(502);
      expect(sim.countCalls({ pathPrefix: '/ping' })).toBe(3);
    } finally {
      await sim.close();
    }
  });
});
