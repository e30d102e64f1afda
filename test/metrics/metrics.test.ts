import { randomUUID } from 'node:crypto';
import axios from 'axios';
import { cancelEvent, orderEvent } from '../../sim/appdirect/events';
import { assertNoSecrets, eventually, Harness, startHarness } from '../support/harness';
import { notifyAndSettle } from '../admin/scenarios';
import { sample } from '../support/prometheus';

const scrape = async (h: Harness) => {
  const res = await axios.get<string>(`${h.connector.url}/metrics`, { responseType: 'text' });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return res.data;
};

describe('/metrics on a working connector', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ customerProvisioningMs: 1500, env: { SYNC_BUDGET_MS: '200', EDITION_PACKAGES: '{"BASIC":"webex_meetings"}' } });
  });
  afterAll(async () => {
    assertNoSecrets(h.logs);
    await h.close();
  });

  test('counts events by type and outcome, and calls by endpoint template and status, with no ID in any label', async () => {
    const companyUuid = randomUUID();
    h.webex.faults.next({ method: 'GET', pathPrefix: '/wholesale/customers', status: 503 });
    const order = await notifyAndSettle(h, orderEvent({ companyUuid, companyName: 'Metered', email: `${randomUUID().slice(0, 8)}@buyer.example.com`, firstName: 'M', lastName: 'M', editionCode: 'BASIC' }));
    const cancel = await notifyAndSettle(h, cancelEvent({ accountIdentifier: `missing-${randomUUID()}` }));
    await eventually(async () => expect((await h.connector.store.journal.get(order.token))?.delivery).toBe('delivered'));

    const text = await scrape(h);
    expect(sample(text, 'connector_events_total', { type: 'SUBSCRIPTION_ORDER', outcome: 'success' })).toBe(1);
    expect(sample(text, 'connector_events_total', { type: 'SUBSCRIPTION_CANCEL', outcome: 'ACCOUNT_NOT_FOUND' })).toBe(1);
    const calls = (labels: Record<string, string>) => sample(text, 'connector_outbound_request_duration_seconds_count', labels) ?? 0;
    expect(calls({ api: 'webex', method: 'POST', endpoint: '/wholesale/customers', status: '202' })).toBe(1);
    expect(calls({ api: 'webex', method: 'GET', endpoint: '/wholesale/subscribers/{id}', status: '200' })).toBeGreaterThan(0);
    expect(calls({ api: 'webex', method: 'GET', endpoint: '/wholesale/customers', status: '503' })).toBe(1);
    expect(calls({ api: 'appdirect', method: 'GET', endpoint: '/api/integration/v1/events/{id}', status: '200' })).toBe(2);
    expect(calls({ api: 'appdirect', method: 'POST', endpoint: '/api/integration/v1/events/{id}/result', status: '204' })).toBe(1);
    expect(calls({ api: 'appdirect', method: 'POST', endpoint: '/oauth2/token', status: '200' })).toBeGreaterThan(0);
    expect(sample(text, 'connector_outbound_request_duration_seconds_bucket', { api: 'webex', method: 'POST', endpoint: '/wholesale/customers', status: '202', le: '+Inf' })).toBe(1);
    expect(sample(text, 'connector_retries_total', { scope: 'webex_request' })).toBe(1);
    expect(sample(text, 'connector_results_delivered_total', { outcome: 'delivered' })).toBe(1);
    for (const id of [companyUuid, order.token, cancel.token]) expect(text).not.toContain(id);
  });

  test('shows events waiting for Webex and results waiting for AppDirect, with their age, then drops to zero', async () => {
    const companyUuid = randomUUID();
    h.appDirect.faults.result({ status: 503, times: 2 });
    const { token } = h.appDirect.addEvent(orderEvent({ companyUuid, companyName: 'Queued', email: `${randomUUID().slice(0, 8)}@buyer.example.com`, firstName: 'Q', lastName: 'Q', editionCode: 'BASIC' }));
    expect((await h.appDirect.notify(h.connector.url, token)).status).toBe(202);

    const waiting = await scrape(h);
    expect(sample(waiting, 'connector_jobs_waiting')).toBe(1);
    expect(sample(waiting, 'connector_jobs_oldest_age_seconds')).toBeGreaterThan(0);

    await eventually(async () => {
      const text = await scrape(h);
      expect(sample(text, 'connector_results_pending')).toBe(1);
      expect(sample(text, 'connector_retries_total', { scope: 'result_delivery' })).toBeGreaterThan(0);
    }, 15_000, 5);
    await h.appDirect.waitForResult(token, 15_000);
    await eventually(async () => {
      const text = await scrape(h);
      expect(sample(text, 'connector_jobs_waiting')).toBe(0);
      expect(sample(text, 'connector_results_pending')).toBe(0);
      expect(sample(text, 'connector_results_oldest_pending_age_seconds')).toBe(0);
      expect(sample(text, 'connector_store_up')).toBe(1);
    });
  });

  test('before any reconciliation there is no drift to show, and the last run\'s time is 0', async () => {
    const text = await scrape(h);
    expect(text).toContain('# TYPE connector_drift_accounts gauge');
    expect(text).not.toMatch(/^connector_drift_accounts\{/m);
    expect(sample(text, 'connector_reconcile_last_run_timestamp_seconds')).toBe(0);
  });

  test('/health and /ready answer 200 while serving; /admin is off without ADMIN_TOKEN', async () => {
    expect((await axios.get(`${h.connector.url}/health`)).data).toEqual({ status: 'ok' });
    expect((await axios.get(`${h.connector.url}/ready`)).data).toEqual({ status: 'ready' });
    const admin = await axios.get(`${h.connector.url}/admin`, { validateStatus: () => true, maxRedirects: 0 });
    expect(admin.status).toBe(404);
  });
});
