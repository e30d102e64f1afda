import axios from 'axios';
import { loadOpenApiContract } from '../../sim/contract/openapi';
import { describeWithContract, OPENAPI_DIR } from '../support/openapi';
import { SERVICE_APP, startByodsSim, type ByodsSim } from '../byods/support/sim';

/**
 * Every BYODS exchange the simulator answers, checked against Cisco's webex-admin.json. The
 * response schemas there omit fields the list example and docs/webex.md show (jwsToken,
 * tokenExpiryTime, createdAt, ...), so undeclared properties are not reported; types and
 * required fields are.
 */
describeWithContract('BYODS simulator against the Webex Admin OpenAPI contract', () => {
  let sim: ByodsSim;
  beforeEach(async () => {
    sim = await startByodsSim();
  });
  afterEach(() => sim.close());

  test('data source and application token calls conform', async () => {
    const api = axios.create({ baseURL: sim.url, headers: { Authorization: `Bearer ${sim.token}` }, validateStatus: () => true });
    const body = { schemaId: sim.byods.schemas[0].id, url: 'https://dap.example.com/c', audience: 'A', subject: 'S', nonce: 'n1', tokenLifetimeMinutes: 60 };
    const { data: created } = await api.post('/dataSources', body);
    await api.get('/dataSources/');
    await api.get(`/dataSources/${created.id}`);
    await api.put(`/dataSources/${created.id}`, { ...body, nonce: 'n2', status: 'disabled', errorMessage: 'Paused' });
    await api.get('/dataSources/schemas');
    await api.get(`/dataSources/schemas/${sim.byods.schemas[0].id}`);
    const { data: pair } = await api.post(`/applications/${SERVICE_APP.appId}/token`, { clientId: SERVICE_APP.clientId, clientSecret: SERVICE_APP.clientSecret, targetOrgId: 'org' });
    await api.post(`/applications/${SERVICE_APP.appId}/token`, { clientId: SERVICE_APP.clientId, clientSecret: 'wrong', targetOrgId: 'org' });
    await api.delete(`/dataSources/${created.id}`);
    await api.delete(`/dataSources/${created.id}`);
    // Not in the OpenAPI files (docs/webex.md has its shape): the refresh_token grant.
    const form = new URLSearchParams({ grant_type: 'refresh_token', client_id: SERVICE_APP.clientId, client_secret: SERVICE_APP.clientSecret, refresh_token: pair.refresh_token });
    await api.post('/access_token', form.toString(), { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });

    const report = loadOpenApiContract(OPENAPI_DIR, { reportUndeclaredProperties: false }).checkCalls(sim.calls);
    expect(report.violations).toEqual([]);
    expect(report.notInContract).toEqual(['POST /access_token']);
    expect(report.checked).toBe(10);
    expect(sim.calls.filter((call) => call.method === 'DELETE').map((call) => call.status)).toEqual([204, 404]);
  });
});
