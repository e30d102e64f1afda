import type { AxiosInstance } from 'axios';
import type { WebexSim } from '../../../sim/webex';
import { callingSubscriber, provisionCustomer, startFastSim, type ProvisionedCustomer } from './simTestKit';

describe('webex sim: locations and validateExtensions', () => {
  let sim: WebexSim;
  let api: AxiosInstance;
  let customer: ProvisionedCustomer;
  beforeAll(async () => {
    ({ sim, api } = await startFastSim());
    customer = await provisionCustomer(api, 'tel');
    await api.post('/wholesale/subscribers', callingSubscriber(customer, 'used@tel.test', '4000'));
  });
  afterAll(() => sim.close());

  const validate = (extensions: unknown, locationId = customer.locationId, orgId = customer.orgId) =>
    api.post(`/telephony/config/locations/${locationId}/actions/validateExtensions/invoke`, { extensions }, { params: { orgId } });

  it('answers OK when every candidate is usable', async () => {
    const res = await validate(['4001', '4002']);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ status: 'OK' });
  });

  it('reports VALID, DUPLICATE, DUPLICATE_IN_LIST and INVALID per candidate', async () => {
    const res = await validate(['4001', '4000', '4001', '1', '1234567', 'abc']);
    expect(res.status).toBe(200);
    expect(res.data.status).toBe('ERRORS');
    expect(res.data.extensionStatus.map((e: { extension: string; state: string }) => [e.extension, e.state])).toEqual([
      ['4001', 'VALID'],
      ['4000', 'DUPLICATE'],
      ['4001', 'DUPLICATE_IN_LIST'],
      ['1', 'INVALID'],
      ['1234567', 'INVALID'],
      ['abc', 'INVALID'],
    ]);
    expect(res.data.extensionStatus[1]).toEqual({ extension: '4000', state: 'DUPLICATE', errorCode: expect.any(Number), message: expect.any(String) });
  });

  it('answers 404 for an unknown location or another org, and 400 for a bad body', async () => {
    expect((await validate(['4001'], 'nope')).status).toBe(404);
    expect((await validate(['4001'], customer.locationId, 'another-org')).status).toBe(404);
    expect((await validate([])).status).toBe(400);
    expect((await validate('4001')).status).toBe(400);
  });

  it('lists locations, all of them or by orgId', async () => {
    const other = await provisionCustomer(api, 'tel-2');
    expect((await api.get('/locations')).data.items).toHaveLength(2);
    const mine = (await api.get('/locations', { params: { orgId: other.orgId } })).data.items;
    expect(mine.map((l: { id: string }) => l.id)).toEqual([other.locationId]);
  });
});
