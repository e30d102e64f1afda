import axios from 'axios';
import { Harness, startHarness } from '../support/harness';
import { sample } from '../support/prometheus';

const http = axios.create({ validateStatus: () => true, responseType: 'text', transformResponse: (d) => d });
const METRICS_TOKEN = 'metrics-SECRET-token-3e7a91c0d2b4';

describe('/metrics on its own port (METRICS_PORT)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { METRICS_PORT: '0' } });
  });
  afterAll(() => h.close());

  test('is served there and not beside the notifications', async () => {
    expect(h.connector.metricsUrl).not.toBe(h.connector.url);
    expect((await http.get(`${h.connector.url}/metrics`)).status).toBe(404);
    const scrape = await http.get(`${h.connector.metricsUrl}/metrics`);
    expect(scrape.status).toBe(200);
    expect(sample(scrape.data, 'connector_store_up')).toBe(1);
    expect((await http.get(`${h.connector.metricsUrl}/subscription_receiver`)).status).toBe(404);
    expect((await http.get(`${h.connector.metricsUrl}/admin`)).status).toBe(404);
    expect((await http.get(`${h.connector.url}/health`)).status).toBe(200);
  });

  test('closes with the connector', async () => {
    const other = await startHarness({ env: { METRICS_PORT: '0' } });
    const { metricsUrl } = other.connector;
    await other.close();
    await expect(http.get(`${metricsUrl}/metrics`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('/metrics behind a bearer token (METRICS_TOKEN)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { METRICS_TOKEN }, failureThrottle: { baseDelayMs: 0, maxDelayMs: 0 } });
  });
  afterAll(async () => {
    expect(h.logs.filter((line) => line.includes(METRICS_TOKEN))).toEqual([]);
    await h.close();
  });

  test.each([
    ['no Authorization', undefined],
    ['a wrong token', 'Bearer wrong-token'],
    ['the token in another scheme', `Basic ${METRICS_TOKEN}`],
  ])('refuses %s with 401', async (_case, authorization) => {
    const res = await http.get(`${h.connector.url}/metrics`, { headers: authorization ? { Authorization: authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(res.data).not.toContain('connector_');
  });

  test('serves a scrape with the token, which counts the refusals', async () => {
    const res = await http.get(`${h.connector.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(sample(res.data, 'connector_auth_failures_total', { endpoint: 'metrics' })).toBe(3);
  });
});
