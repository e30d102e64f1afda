import type { AxiosInstance } from 'axios';
import type { WebexSim } from '../../../sim/webex';
import { callingSubscriber, provisionCustomer, ProvisionedCustomer, startFastSim } from './simTestKit';

describe('changing the Webex simulator behind the connector\'s back', () => {
  let sim: WebexSim;
  let api: AxiosInstance;
  let customer: ProvisionedCustomer;
  beforeEach(async () => {
    ({ sim, api } = await startFastSim({ subscriberProvisioningMs: 0 }));
    customer = await provisionCustomer(api, 'acme');
    await api.post('/wholesale/subscribers', callingSubscriber(customer, 'a@acme.test', '1001'));
  });
  afterEach(() => sim.close());

  const people = async (email: string) => (await api.get('/people', { params: { email } })).data.items;
  const subscribers = async (query: Record<string, string>) => (await api.get('/wholesale/subscribers', { params: query })).data.items;

  test('a subscriber deleted in Control Hub takes its Webex user along; removed as a mapping, the user stays', async () => {
    sim.backstage.deleteSubscriber('A@acme.test');
    expect(await subscribers({ email: 'a@acme.test' })).toEqual([]);
    expect(await people('a@acme.test')).toEqual([]);

    await api.post('/wholesale/subscribers', callingSubscriber(customer, 'b@acme.test', '1002'));
    sim.backstage.deleteSubscriber('b@acme.test', { keepPerson: true });
    expect(await subscribers({ email: 'b@acme.test' })).toEqual([]);
    expect(await people('b@acme.test')).toHaveLength(1);
  });

  test('support moves a subscriber to other packages; off Webex Calling, its extension is free again', async () => {
    sim.backstage.changePackages('a@acme.test', ['webex_meetings']);
    expect((await subscribers({ email: 'a@acme.test' }))[0].packages).toEqual(['webex_meetings']);
    const check = await api.post(`/telephony/config/locations/${customer.locationId}/actions/validateExtensions/invoke`, { extensions: ['1001'] }, { params: { orgId: customer.orgId } });
    expect(check.data).toEqual({ status: 'OK' });
  });

  test('a customer deletes itself: its subscribers and people go with it', async () => {
    sim.backstage.deleteCustomer('acme');
    expect((await api.get('/wholesale/customers', { params: { externalId: 'acme' } })).data.items).toEqual([]);
    expect(await subscribers({ customerId: customer.id })).toEqual([]);
    expect(await people('a@acme.test')).toEqual([]);
  });

  test('a subscriber added in Partner Hub is listed like any other; a stalled one stays provisioning', async () => {
    sim.backstage.addSubscriber({ externalId: 'acme', email: 'x@acme.test', packages: ['webex_meetings'] });
    expect(await subscribers({ customerId: customer.id })).toEqual(expect.arrayContaining([expect.objectContaining({ email: 'x@acme.test', packages: ['webex_meetings'], status: 'provisioned' })]));
    sim.backstage.stallSubscriber('x@acme.test', Date.parse('2026-01-01T00:00:00Z'));
    expect((await subscribers({ email: 'x@acme.test' }))[0]).toMatchObject({ status: 'provisioning', lastStatusChange: '2026-01-01T00:00:00.000Z' });
  });

  test('naming what is not there is an error, not a silent no-op', () => {
    expect(() => sim.backstage.deleteSubscriber('nobody@acme.test')).toThrow('the Webex simulator has no subscriber nobody@acme.test');
    expect(() => sim.backstage.deleteCustomer('nobody')).toThrow('no customer with external ID nobody');
  });
});
