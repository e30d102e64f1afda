import type { AxiosInstance } from 'axios';
import type { WebexSim } from '../../../sim/webex';
import { callingSubscriber, customerBody, provisionCustomer, startFastSim, waitFor, type ProvisionedCustomer } from './simTestKit';

/** A customer that holds the attendant_console package, so that its subscribers can have it. */
const WITH_CONSOLE = { packages: ['webex_calling', 'webex_meetings', 'attendant_console'] };

describe('webex sim: wholesale subscribers', () => {
  let sim: WebexSim;
  let api: AxiosInstance;
  let customer: ProvisionedCustomer;
  beforeAll(async () => {
    ({ sim, api } = await startFastSim());
  });
  beforeEach(async () => {
    sim.reset();
    customer = await provisionCustomer(api, 'acme');
  });
  afterAll(() => sim.close());

  it('accepts a calling subscriber with 202 provisioning, then provisioned with a personId', async () => {
    const res = await api.post('/wholesale/subscribers', callingSubscriber(customer, 'ada@acme.test', '1001'));
    expect(res.status).toBe(202);
    expect(res.data).toMatchObject({ email: 'ada@acme.test', customerId: customer.id, externalCustomerId: 'acme', packages: ['webex_calling'], status: 'provisioning' });
    expect(res.data).not.toHaveProperty('personId');
    expect(res.data).not.toHaveProperty('package');
    expect(res.headers.location).toBe(`${sim.url}/wholesale/subscribers/${res.data.id}`);

    const done = await waitFor(async () => {
      const { data } = await api.get(`/wholesale/subscribers/${res.data.id}`);
      return data.status === 'provisioned' ? data : undefined;
    });
    const person = (await api.get(`/people/${done.personId}`)).data;
    expect(person).toMatchObject({
      emails: ['ada@acme.test'], orgId: customer.orgId, firstName: 'Ada', lastName: 'Lovelace', extension: '1001', locationId: customer.locationId,
    });
  });

  it('answers 200 provisioned at once when subscriberProvisioningMs is 0', async () => {
    const { sim: instant, api: instantApi } = await startFastSim({ subscriberProvisioningMs: 0 });
    try {
      const c = await provisionCustomer(instantApi, 'quick');
      const res = await instantApi.post('/wholesale/subscribers', callingSubscriber(c, 'q@quick.test', '2001'));
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ status: 'provisioned', personId: expect.any(String) });
    } finally {
      await instant.close();
    }
  });

  it('needs an extension or number, and a location of the customer org, for calling packages', async () => {
    const base = callingSubscriber(customer, 'x@acme.test', '1001');
    const noNumber = { ...base, provisioningParameters: { locationId: customer.locationId } };
    const noLocation = { ...base, provisioningParameters: { extension: '1001' } };
    const other = await provisionCustomer(api, 'other');
    const foreignLocation = callingSubscriber({ ...customer, locationId: other.locationId }, 'x@acme.test', '1001');
    for (const body of [noNumber, noLocation, foreignLocation]) {
      const res = await api.post('/wholesale/subscribers', body);
      expect(res.status).toBe(400);
      expect(res.data.errors[0].description).toEqual(expect.any(String));
    }
    const byNumber = { ...base, provisioningParameters: { primaryPhoneNumber: '+12025550123', locationId: customer.locationId } };
    expect((await api.post('/wholesale/subscribers', byNumber)).status).toBe(202);
    const meetingsOnly = { customerId: customer.id, email: 'm@acme.test', packages: ['webex_meetings'], provisioningParameters: {} };
    expect((await api.post('/wholesale/subscribers', meetingsOnly)).status).toBe(202);
  });

  it('refuses an email that already belongs to a user (409, code 10022)', async () => {
    await api.post('/wholesale/subscribers', callingSubscriber(customer, 'dup@acme.test', '1001'));
    const other = await provisionCustomer(api, 'other');
    const again = await api.post('/wholesale/subscribers', callingSubscriber(other, 'DUP@acme.test', '1002'));
    expect(again.status).toBe(409);
    expect(again.data.errors).toEqual([{ errorCode: 10022, description: 'The email is already associated with an existing user.' }]);
  });

  it('keeps extensions unique per location, but not across locations', async () => {
    await api.post('/wholesale/subscribers', callingSubscriber(customer, 'a@acme.test', '1001'));
    expect((await api.post('/wholesale/subscribers', callingSubscriber(customer, 'b@acme.test', '1001'))).status).toBe(409);
    expect((await api.post('/wholesale/subscribers', callingSubscriber(customer, 'b@acme.test', '1'))).status).toBe(400);
    const other = await provisionCustomer(api, 'other');
    expect((await api.post('/wholesale/subscribers', callingSubscriber(other, 'c@other.test', '1001'))).status).toBe(202);
  });

  it('refuses unknown (404) and not yet provisioned (400) customers', async () => {
    expect((await api.post('/wholesale/subscribers', callingSubscriber({ ...customer, id: 'nope' }, 'a@acme.test', '1001'))).status).toBe(404);
    const pending = await api.post('/wholesale/customers', customerBody('pending'));
    const pendingId = String(pending.headers.location).split('/').pop() as string;
    const res = await api.post('/wholesale/subscribers', callingSubscriber({ ...customer, id: pendingId }, 'a@acme.test', '1001'));
    expect(res.status).toBe(400);
  });

  it('wants exactly one package, and records use of the deprecated singular field', async () => {
    const body = callingSubscriber(customer, 'p@acme.test', '1001');
    expect((await api.post('/wholesale/subscribers', { ...body, packages: ['webex_calling', 'webex_meetings'] })).status).toBe(400);
    expect((await api.post('/wholesale/subscribers', { ...body, packages: undefined })).status).toBe(400);
    expect((await api.post('/wholesale/subscribers', { ...body, package: 'webex_calling' })).status).toBe(400);
    expect((await api.post('/wholesale/subscribers', { ...body, packages: ['webex_suite'] })).status).toBe(400);
    expect(sim.calls.some((c) => c.deprecatedPackageField)).toBe(false);

    const legacy = await api.post('/wholesale/subscribers', { ...body, packages: undefined, package: 'webex_calling' });
    expect(legacy.status).toBe(202);
    expect(legacy.data.packages).toEqual(['webex_calling']);
    expect(sim.calls.filter((c) => c.deprecatedPackageField).map((c) => c.path)).toEqual(['/wholesale/subscribers']);
  });

  it('lists with filters and updates packages and calling parameters with PUT (200)', async () => {
    const created = (await api.post('/wholesale/subscribers', { customerId: customer.id, email: 'u@acme.test', packages: ['webex_meetings'], provisioningParameters: {} })).data;
    await api.post('/wholesale/subscribers', callingSubscriber(customer, 'taken@acme.test', '3000'));

    expect((await api.put(`/wholesale/subscribers/${created.id}`, { packages: ['webex_calling'] })).status).toBe(400);
    const clash = { packages: ['webex_calling'], provisioningParameters: { extension: '3000', locationId: customer.locationId } };
    expect((await api.put(`/wholesale/subscribers/${created.id}`, clash)).status).toBe(409);
    const ok = { packages: ['webex_calling'], provisioningParameters: { extension: '3001', locationId: customer.locationId } };
    const put = await api.put(`/wholesale/subscribers/${created.id}`, ok);
    expect(put.status).toBe(200);
    expect(put.data.packages).toEqual(['webex_calling']);

    const list = await api.get('/wholesale/subscribers', { params: { externalCustomerId: 'acme', email: 'U@acme.test' } });
    expect(list.data.items.map((s: { id: string }) => s.id)).toEqual([created.id]);
    const person = [...sim.state.people.values()].find((p) => p.emails.includes('u@acme.test'));
    expect(person?.extension).toBe('3001');
  });

  it('deletes with 204 and keeps the person, so the email stays taken until the person goes', async () => {
    const created = (await api.post('/wholesale/subscribers', callingSubscriber(customer, 'd@acme.test', '1001'))).data;
    const del = await api.delete(`/wholesale/subscribers/${created.id}`);
    expect(del.status).toBe(204);
    expect((await api.get(`/wholesale/subscribers/${created.id}`)).status).toBe(404);
    const people = (await api.get('/people', { params: { email: 'd@acme.test' } })).data.items;
    expect(people).toHaveLength(1);
    expect((await api.post('/wholesale/subscribers', callingSubscriber(customer, 'd@acme.test', '1002'))).status).toBe(409);

    expect((await api.delete(`/people/${people[0].id}`)).status).toBe(204);
    expect((await api.delete(`/people/${people[0].id}`)).status).toBe(404);
    expect((await api.post('/wholesale/subscribers', callingSubscriber(customer, 'd@acme.test', '1001'))).status).toBe(202);
  });

  it('prechecks with validate: 200 success, 409 email taken, 400 not provisioned or bad package', async () => {
    await api.post('/wholesale/subscribers', callingSubscriber(customer, 'taken@acme.test', '1001'));
    const good = await api.post('/wholesale/subscribers/validate', callingSubscriber(customer, 'new@acme.test', '1002'));
    expect(good.status).toBe(200);
    expect(good.data).toEqual({ message: 'success', info: { infoCode: 100, description: expect.any(String) } });
    expect((await api.post('/wholesale/subscribers/validate', callingSubscriber(customer, 'taken@acme.test', '1002'))).status).toBe(409);
    const badPackage = { ...callingSubscriber(customer, 'new@acme.test', '1002'), packages: ['webex_everything'] };
    expect((await api.post('/wholesale/subscribers/validate', badPackage)).status).toBe(400);
    const pending = await api.post('/wholesale/customers', customerBody('pending'));
    const pendingId = String(pending.headers.location).split('/').pop() as string;
    expect((await api.post('/wholesale/subscribers/validate', callingSubscriber({ ...customer, id: pendingId }, 'n@x.test', '1003'))).status).toBe(400);
    expect(sim.state.subscribers.size).toBe(1);
  });

  it('takes one base package plus add-on packages whose dependency the base meets, each held by the customer', async () => {
    const customer = await provisionCustomer(api, 'console', WITH_CONSOLE);
    const withConsole = { ...callingSubscriber(customer, 'ac@acme.test', '1001'), packages: ['attendant_console', 'webex_calling'] };
    const created = await api.post('/wholesale/subscribers', withConsole);
    expect(created.status).toBe(202);
    expect(created.data.packages).toEqual(['webex_calling', 'attendant_console']);

    const meetings = (await api.post('/wholesale/subscribers', { customerId: customer.id, email: 'm@acme.test', packages: ['webex_meetings'], provisioningParameters: {} })).data;
    await waitFor(async () => ((await api.get(`/wholesale/subscribers/${meetings.id}`)).data.status === 'provisioned' ? true : undefined));
    const refused = await api.put(`/wholesale/subscribers/${meetings.id}`, { packages: ['webex_meetings', 'attendant_console'] });
    expect(refused.status).toBe(400);
    expect(refused.data.errors).toEqual([{ description: 'attendant_console is dependent on one of: webex_calling, webex_suite, cx_essentials.' }]);
    expect((await api.put(`/wholesale/subscribers/${meetings.id}`, { packages: ['attendant_console'] })).status).toBe(400);
    expect((await api.put(`/wholesale/subscribers/${meetings.id}`, { packages: ['webex_meetings', 'cx_standard_agent'] })).data.errors).toEqual([
      { description: 'Package cx_standard_agent is not provisioned for this customer.' },
    ]);
  });

  it('will not take a package off the customer while subscribers hold it', async () => {
    const customer = await provisionCustomer(api, 'console', WITH_CONSOLE);
    await api.post('/wholesale/subscribers', { ...callingSubscriber(customer, 'ac@acme.test', '1001'), packages: ['webex_calling', 'attendant_console'] });
    const refused = await api.put(`/wholesale/customers/${customer.id}`, { packages: ['webex_calling', 'webex_meetings'] });
    expect(refused.status).toBe(409);
    expect(refused.data.errors).toEqual([{ description: 'attendant_console is assigned to 1 subscriber(s).' }]);
  });

  it('puts the subscriber of an existing Webex account in pending_user_migration until its owner accepts; consentMove sends the invitation again', async () => {
    sim.control.existingWebexAccount('Free@Acme.test');
    const created = (await api.post('/wholesale/subscribers', callingSubscriber(customer, 'free@acme.test', '1001'))).data;
    const pending = await waitFor(async () => {
      const { data } = await api.get(`/wholesale/subscribers/${created.id}`);
      return data.status === 'pending_user_migration' ? data : undefined;
    });
    expect(pending).not.toHaveProperty('personId');
    expect((await api.get('/people', { params: { email: 'free@acme.test', orgId: customer.orgId } })).data.items).toEqual([]);
    expect(sim.control.invitationsSent('free@acme.test')).toHaveLength(1);
    expect((await api.put(`/wholesale/subscribers/${created.id}`, { packages: ['webex_meetings'] })).status).toBe(409);

    const resent = await api.post(`/subscribers/${created.id}/emails/consentMove`);
    expect(resent.status).toBe(204);
    expect(resent.data).toBe('');
    expect(sim.control.invitationsSent('FREE@acme.test')).toHaveLength(2);
    expect((await api.post('/subscribers/unknown/emails/consentMove')).status).toBe(404);

    sim.control.acceptInvitation('free@acme.test');
    const accepted = (await api.get(`/wholesale/subscribers/${created.id}`)).data;
    expect(accepted).toMatchObject({ status: 'provisioned', personId: expect.any(String) });
    expect((await api.get(`/people/${accepted.personId}`)).data).toMatchObject({ orgId: customer.orgId, extension: '1001' });
    expect((await api.post(`/subscribers/${created.id}/emails/consentMove`)).status).toBe(409);
    expect(() => sim.control.acceptInvitation('free@acme.test')).toThrow(/no subscriber free@acme.test is waiting/);
  });
});
