import type { AxiosInstance } from 'axios';
import type { WebexSim } from '../../../sim/webex';
import { customerBody, provisionCustomer, startFastSim, waitFor } from './simTestKit';

describe('webex sim: wholesale customers', () => {
  let sim: WebexSim;
  let api: AxiosInstance;
  beforeAll(async () => {
    ({ sim, api } = await startFastSim({ customerProvisioningMs: 80 }));
  });
  beforeEach(() => sim.reset());
  afterAll(() => sim.close());

  it('accepts a new customer with 202, a url and a Location header pointing at it', async () => {
    const res = await api.post('/wholesale/customers', customerBody('ext-1'));
    expect(res.status).toBe(202);
    expect(res.headers.location).toBe(res.data.url);
    expect(res.data.url).toMatch(new RegExp(`^${sim.url}/wholesale/customers/[A-Za-z0-9_-]+$`));
    const got = await api.get(res.data.url);
    expect(got.status).toBe(200);
    expect(got.data).toMatchObject({ externalId: 'ext-1', status: 'provisioning', packages: ['webex_calling', 'webex_meetings'] });
    expect(got.data).not.toHaveProperty('orgId');
    expect(got.data.resourceDetails.packages).toEqual([
      { name: 'webex_calling', status: 'provisioning' },
      { name: 'webex_meetings', status: 'provisioning' },
    ]);
  });

  it('becomes provisioned after the provisioning time, with an orgId and one calling location', async () => {
    const created = await api.post(
      '/wholesale/customers',
      customerBody('ext-2', {
        provisioningParameters: {
          calling: {
            location: {
              name: 'Head Office',
              address: { addressLine1: '1 Main St', city: 'Austin', country: 'us' },
              timezone: 'America/Chicago',
              language: 'en_us',
            },
          },
        },
      }),
    );
    const done = await waitFor(async () => {
      const { data } = await api.get(created.data.url);
      return data.status === 'provisioned' ? data : undefined;
    });
    expect(done.orgId).toEqual(expect.any(String));
    const locations = await api.get('/locations', { params: { orgId: done.orgId } });
    expect(locations.data.items).toEqual([
      { id: expect.any(String), name: 'Head Office', orgId: done.orgId, address: { address1: '1 Main St', city: 'Austin', country: 'US' } },
    ]);
    const byOrg = await api.get('/wholesale/customers', { params: { orgId: done.orgId } });
    expect(byOrg.data.items.map((c: { externalId: string }) => c.externalId)).toEqual(['ext-2']);
  });

  it('builds the location from the customer address when no calling parameters are given', async () => {
    const { orgId } = await provisionCustomer(api, 'ext-3');
    const { data } = await api.get('/locations', { params: { orgId } });
    expect(data.items[0]).toMatchObject({
      name: 'Customer ext-3',
      address: { address1: '771 Alder Drive', city: 'Milpitas', state: 'CA', postalCode: '95035', country: 'US' },
    });
  });

  it('refuses a second customer with the same externalId (409) and the validate precheck says 400', async () => {
    await api.post('/wholesale/customers', customerBody('dup'));
    const again = await api.post('/wholesale/customers', customerBody('dup'));
    expect(again.status).toBe(409);
    expect(again.data.errors[0].description).toContain('dup');
    expect((await api.post('/wholesale/customers/validate', customerBody('dup'))).status).toBe(400);
    const fresh = await api.post('/wholesale/customers/validate', customerBody('fresh'));
    expect(fresh.status).toBe(200);
    expect(fresh.data).toEqual({ message: 'success', info: { infoCode: 100, description: expect.any(String) } });
  });

  // The precheck needs less than a real create (only the address is required), hence its own expectation.
  it.each([
    ['a missing provisioningId', { provisioningId: undefined }, 200],
    ['a 3-letter country', { address: { addressLine1: 'x', city: 'y', country: 'USA' } }, 400],
    ['an address line over 50 characters', { address: { addressLine1: 'x'.repeat(51), city: 'y', country: 'US' } }, 400],
    ['an unknown package', { packages: ['webex_everything'] }, 400],
    ['a package whose prerequisite is missing', { packages: ['attendant_console'] }, 400],
    ['no customerInfo for a new org', { customerInfo: undefined }, 200],
  ])('answers 400 with a Webex error for %s', async (_label, override, precheckStatus) => {
    const res = await api.post('/wholesale/customers', customerBody('bad', override));
    expect(res.status).toBe(400);
    expect(res.data.errors.length).toBeGreaterThan(0);
    expect(sim.state.customers.size).toBe(0);
    expect((await api.post('/wholesale/customers/validate', customerBody('bad', override))).status).toBe(precheckStatus);
  });

  it('ends in error when told to, with errors[] and no orgId', async () => {
    sim.control.customerOutcome('broken', 'error', 'No licenses left.');
    const created = await api.post('/wholesale/customers', customerBody('broken'));
    const failed = await waitFor(async () => {
      const { data } = await api.get(created.data.url);
      return data.status === 'error' ? data : undefined;
    });
    expect(failed.errors).toEqual([{ errorCode: expect.any(Number), description: 'No licenses left.' }]);
    expect(failed).not.toHaveProperty('orgId');
    expect(sim.state.locations.size).toBe(0);
  });

  it('ends provisioned_with_errors with package warnings when told to (also after the fact)', async () => {
    const { id } = await provisionCustomer(api, 'partial');
    sim.control.customerOutcome('partial', 'provisioned_with_errors', 'Calling under maintenance.');
    const { data } = await api.get(`/wholesale/customers/${id}`);
    expect(data.status).toBe('provisioned_with_errors');
    expect(data.resourceDetails.packages[0].warnings).toEqual([{ errorCode: expect.any(Number), description: 'Calling under maintenance.' }]);
    expect(data.orgId).toEqual(expect.any(String));
  });

  it('filters the list by externalId and status', async () => {
    await provisionCustomer(api, 'done');
    await api.post('/wholesale/customers', customerBody('busy'));
    const byStatus = await api.get('/wholesale/customers', { params: { status: 'provisioning' } });
    expect(byStatus.data.items.map((c: { externalId: string }) => c.externalId)).toEqual(['busy']);
    const byExternalId = await api.get('/wholesale/customers', { params: { externalId: 'done' } });
    expect(byExternalId.data.items).toHaveLength(1);
    expect(byExternalId.data.items[0].status).toBe('provisioned');
  });

  it('updates with PUT (202, updating, then provisioned) and refuses updates while provisioning', async () => {
    const busy = await api.post('/wholesale/customers', customerBody('busy'));
    expect((await api.put(busy.data.url, { packages: ['webex_meetings'] })).status).toBe(409);

    const { id } = await provisionCustomer(api, 'upd');
    const put = await api.put(`/wholesale/customers/${id}`, { packages: ['webex_calling', 'webex_suite'] });
    expect(put.status).toBe(202);
    expect(put.headers.location).toBe(put.data.url);
    expect((await api.get(`/wholesale/customers/${id}`)).data).toMatchObject({ status: 'updating', packages: ['webex_calling', 'webex_suite'] });
    await waitFor(async () => ((await api.get(`/wholesale/customers/${id}`)).data.status === 'provisioned' ? true : undefined));
  });

  it('deletes with 202 and the customer, its org data and its locations are gone', async () => {
    const { id, orgId } = await provisionCustomer(api, 'gone');
    const del = await api.delete(`/wholesale/customers/${id}`);
    expect(del.status).toBe(202);
    expect(del.data).toBe('');
    expect((await api.get(`/wholesale/customers/${id}`)).status).toBe(404);
    expect((await api.get('/locations', { params: { orgId } })).data.items).toEqual([]);
    expect((await api.delete(`/wholesale/customers/${id}`)).status).toBe(404);
  });
});
