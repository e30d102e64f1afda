import axios, { type AxiosInstance } from 'axios';
import { loadOpenApiContract, type OpenApiContract } from '../../sim/contract/openapi';
import { describeWithContract, OPENAPI_DIR } from '../support/openapi';
import { startWebexSim, type WebexSim } from '../../sim/webex';

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not met in time');
}

const address = { addressLine1: '771 Alder Drive', addressLine2: 'Site 5', city: 'Milpitas', stateOrProvince: 'CA', zipOrPostalCode: '95035', country: 'US' };

function newCustomer(externalId: string): Record<string, unknown> {
  return {
    provisioningId: 'prov-template-1',
    packages: ['webex_calling', 'webex_meetings'],
    externalId,
    address,
    customerInfo: { name: 'Pizza Corp', primaryEmail: 'owner@pizza.test', language: 'en' },
    provisioningParameters: {
      calling: { location: { name: 'Head Office', address, timezone: 'America/Los_Angeles', language: 'en_us' } },
      meetings: { timezone: 'America/Los_Angeles' },
    },
  };
}

/** The precheck's customerInfo declares only name and primaryEmail (no language), unlike the create body. */
function customerPrecheck(externalId: string): Record<string, unknown> {
  return { ...newCustomer(externalId), customerInfo: { name: 'Pizza Corp', primaryEmail: 'owner@pizza.test' } };
}

/** The provisioning story a connector plays against Webex, error cases included, over real HTTP. */
async function playProvisioningStory(api: AxiosInstance, sim: WebexSim): Promise<void> {
  const expectStatus = async (request: Promise<{ status: number }>, status: number) => expect((await request).status).toBe(status);

  await expectStatus(api.post('/wholesale/customers/validate', customerPrecheck('pizza')), 200);
  const created = await api.post('/wholesale/customers', newCustomer('pizza'));
  expect(created.status).toBe(202);
  const customerId = String(created.headers.location).split('/').pop() as string;
  const customer = await until(async () => {
    const { data } = await api.get(`/wholesale/customers/${customerId}`);
    return data.status === 'provisioned' ? data : undefined;
  });
  await expectStatus(api.get('/wholesale/customers', { params: { externalId: 'pizza' } }), 200);

  const { data: locations } = await api.get('/locations', { params: { orgId: customer.orgId } });
  const locationId = locations.items[0].id;
  const validateExtensions = `/telephony/config/locations/${locationId}/actions/validateExtensions/invoke`;
  await expectStatus(api.post(validateExtensions, { extensions: ['1001'] }, { params: { orgId: customer.orgId } }), 200);

  const subscriber = {
    customerId,
    email: 'mario@pizza.test',
    packages: ['webex_calling'],
    provisioningParameters: { firstName: 'Mario', lastName: 'Rossi', extension: '1001', locationId },
  };
  await expectStatus(api.post('/wholesale/subscribers/validate', subscriber), 200);
  const accepted = await api.post('/wholesale/subscribers', subscriber);
  expect(accepted.status).toBe(202);
  const provisioned = await until(async () => {
    const { data } = await api.get(`/wholesale/subscribers/${accepted.data.id}`);
    return data.status === 'provisioned' ? data : undefined;
  });
  await expectStatus(api.get('/wholesale/subscribers', { params: { customerId, max: 10 } }), 200);
  await expectStatus(api.put(`/wholesale/subscribers/${provisioned.id}`, { packages: ['webex_meetings'] }), 200);
  const { data: people } = await api.get('/people', { params: { email: subscriber.email, orgId: customer.orgId } });
  expect(people.items[0].id).toBe(provisioned.personId);
  const { data: person } = await api.get(`/people/${provisioned.personId}`, { params: { callingData: true } });
  await expectStatus(api.put(`/people/${person.id}`, { emails: person.emails, displayName: 'Mario Bros', firstName: 'Mario', lastName: 'Bros' }), 200);

  // Add-on packages: on the customer first (Webex updates it in the background), then on a subscriber beside its base package.
  await expectStatus(api.put(`/wholesale/customers/${customerId}`, { packages: ['webex_calling', 'webex_meetings', 'attendant_console'] }), 202);
  await until(async () => ((await api.get(`/wholesale/customers/${customerId}`)).data.status === 'provisioned' ? true : undefined));
  await expectStatus(api.put(`/wholesale/subscribers/${provisioned.id}`, { packages: ['webex_meetings', 'attendant_console'] }), 400);
  await expectStatus(api.put(`/wholesale/subscribers/${provisioned.id}`, { packages: ['webex_calling', 'attendant_console'] }), 200);
  await expectStatus(api.put(`/wholesale/customers/${customerId}`, { packages: ['webex_calling', 'webex_meetings'] }), 409);

  // An e-mail of an existing Webex account: the subscriber waits for its owner's consent; the invitation can be sent again.
  sim.control.existingWebexAccount('luigi@pizza.test');
  const migrating = await api.post('/wholesale/subscribers', { ...subscriber, email: 'luigi@pizza.test', provisioningParameters: { ...subscriber.provisioningParameters, extension: '1002' } });
  await until(async () => ((await api.get(`/wholesale/subscribers/${migrating.data.id}`)).data.status === 'pending_user_migration' ? true : undefined));
  await expectStatus(api.post(`/subscribers/${migrating.data.id}/emails/consentMove`), 204);
  sim.control.acceptInvitation('luigi@pizza.test');
  await expectStatus(api.post(`/subscribers/${migrating.data.id}/emails/consentMove`), 409);

  // Error cases: each must still be a well-formed request, and answered with a listed error status.
  await expectStatus(api.post('/wholesale/customers', newCustomer('pizza')), 409);
  await expectStatus(api.post('/wholesale/customers', { ...newCustomer('bad-address'), address: { ...address, country: 'USA' } }), 400);
  await expectStatus(api.get('/wholesale/customers/unknown-customer'), 404);
  await expectStatus(api.post('/wholesale/subscribers', subscriber), 409);
  await expectStatus(api.post('/wholesale/subscribers', { ...subscriber, customerId: 'unknown-customer', email: 'x@pizza.test' }), 404);

  // The other customer outcomes must be spec-shaped too.
  sim.control.customerOutcome('half', 'provisioned_with_errors', 'Calling under maintenance.');
  sim.control.customerOutcome('failed', 'error', 'No licenses left.');
  for (const externalId of ['half', 'failed']) {
    const { headers } = await api.post('/wholesale/customers', newCustomer(externalId));
    await until(async () => ((await api.get(headers.location)).data.status !== 'provisioning' ? true : undefined));
  }

  await expectStatus(api.delete(`/wholesale/subscribers/${provisioned.id}`), 204);
  await expectStatus(api.delete(`/people/${provisioned.personId}`), 204);
  await expectStatus(api.delete(`/wholesale/customers/${customerId}`), 202);
}

describeWithContract('Webex simulator against the official OpenAPI contract', () => {
  let sim: WebexSim;
  let api: AxiosInstance;
  let contract: OpenApiContract;

  beforeAll(async () => {
    contract = loadOpenApiContract(OPENAPI_DIR);
    sim = await startWebexSim({ customerProvisioningMs: 40, subscriberProvisioningMs: 20 });
    api = axios.create({ baseURL: sim.url, headers: { Authorization: 'Bearer sim-webex-token' }, validateStatus: () => true });
  });
  afterAll(() => sim.close());

  it('answers a whole provisioning story exactly as the contract describes', async () => {
    await playProvisioningStory(api, sim);
    const report = contract.checkCalls(sim.calls);

    expect(report.violations).toEqual([]);
    expect(report.notInContract.map((call) => call.replace(/locations\/[^/]+\//, 'locations/{locationId}/')).sort()).toEqual([
      'GET /locations',
      'POST /telephony/config/locations/{locationId}/actions/validateExtensions/invoke',
    ]);
    const operations = new Set(sim.calls.map((call) => contract.operationOf(call)).filter(Boolean));
    expect([...operations].sort()).toEqual([
      'DELETE /people/{personId}',
      'DELETE /wholesale/customers/{customerId}',
      'DELETE /wholesale/subscribers/{subscriberId}',
      'GET /people',
      'GET /people/{personId}',
      'GET /wholesale/customers',
      'GET /wholesale/customers/{customerId}',
      'GET /wholesale/subscribers',
      'GET /wholesale/subscribers/{subscriberId}',
      'POST /subscribers/{subscriberId}/emails/consentMove',
      'POST /wholesale/customers',
      'POST /wholesale/customers/validate',
      'POST /wholesale/subscribers',
      'POST /wholesale/subscribers/validate',
      'PUT /people/{personId}',
      'PUT /wholesale/customers/{customerId}',
      'PUT /wholesale/subscribers/{subscriberId}',
    ]);
    expect(report.checked).toBe(sim.calls.length - 2);
  });

  it('catches a request body that breaks the schema (packages as a string)', async () => {
    sim.reset();
    await api.post('/wholesale/subscribers', { customerId: 'c', email: 'a@b.test', packages: 'webex_calling', provisioningParameters: {} });
    const [call] = sim.calls;
    expect(call?.status).toBe(400);
    expect(contract.checkCall(call!)).toEqual(['POST /wholesale/subscribers request body: /packages must be array']);
  });

  it('catches responses with a wrong enum, a wrong type, an unlisted status or an undeclared field', () => {
    const customer = { id: 'c1', externalId: 'e1', status: 'done', packages: ['webex_calling'] };
    expect(contract.checkCall({ method: 'GET', path: '/wholesale/customers/c1', status: 200, responseBody: customer })).toEqual([
      expect.stringMatching(/^GET \/wholesale\/customers\/\{customerId\} response 200: \/status must be equal to one of the allowed values/),
    ]);
    expect(contract.checkCall({ method: 'GET', path: '/wholesale/customers', status: 200, responseBody: { items: [{ id: 7 }] } })).toEqual([
      'GET /wholesale/customers response 200: /items/0/id must be string',
    ]);
    expect(contract.checkCall({ method: 'POST', path: '/wholesale/customers', requestBody: newCustomer('x'), status: 201, responseBody: {} })).toEqual([
      'POST /wholesale/customers response 201: status not listed (listed: 202)',
    ]);
    expect(contract.checkCall({ method: 'GET', path: '/people', status: 200, responseBody: { items: [{ id: 'p', email: 'x' }] } })).toEqual([
      'GET /people response 200: /items/0/email is not declared in the contract',
    ]);
    expect(contract.checkCall({ method: 'PATCH', path: '/v1/wholesale/customers', status: 200 })).toEqual([
      'PATCH /wholesale/customers: method not in contract (has GET, POST)',
    ]);
  });

  it('allows the documented subscriber statuses, and only those', () => {
    const subscriber = (status: string) => ({ method: 'GET', path: '/wholesale/subscribers/s1', status: 200, responseBody: { id: 's1', status } });
    expect(contract.checkCall(subscriber('provisioning'))).toEqual([]);
    expect(contract.checkCall(subscriber('error'))).toEqual([]);
    expect(contract.checkCall(subscriber('queued'))).toHaveLength(1);
  });
});
