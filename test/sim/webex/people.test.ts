import type { AxiosInstance } from 'axios';
import type { WebexSim } from '../../../sim/webex';
import { callingSubscriber, provisionCustomer, startFastSim } from './simTestKit';

describe('webex sim: people', () => {
  let sim: WebexSim;
  let api: AxiosInstance;
  beforeAll(async () => {
    ({ sim, api } = await startFastSim());
  });
  afterAll(() => sim.close());

  it('finds people by email and org, and deletes them (204, then 404)', async () => {
    const customer = await provisionCustomer(api, 'ppl');
    await api.post('/wholesale/subscribers', callingSubscriber(customer, 'Grace@ppl.test', '5000'));

    const found = await api.get('/people', { params: { email: 'grace@ppl.test', orgId: customer.orgId } });
    expect(found.status).toBe(200);
    expect(found.data.items).toEqual([
      expect.objectContaining({ emails: ['Grace@ppl.test'], displayName: 'Ada Lovelace', orgId: customer.orgId, extension: '5000' }),
    ]);
    expect((await api.get('/people', { params: { email: 'grace@ppl.test', orgId: 'other' } })).data.items).toEqual([]);

    const personId = found.data.items[0].id;
    expect((await api.delete(`/people/${personId}`)).status).toBe(204);
    expect((await api.get(`/people/${personId}`)).status).toBe(404);
    expect((await api.delete(`/people/${personId}`)).status).toBe(404);
    expect(sim.state.people.size).toBe(0);
  });

  it('renames with PUT (displayName required) and refuses a change of e-mail', async () => {
    const customer = await provisionCustomer(api, 'ren');
    await api.post('/wholesale/subscribers', callingSubscriber(customer, 'ren@ren.test', '5001'));
    const [person] = (await api.get('/people', { params: { email: 'ren@ren.test' } })).data.items;

    const renamed = await api.put(`/people/${person.id}`, { displayName: 'Grace Hopper', firstName: 'Grace', lastName: 'Hopper', emails: ['REN@ren.test'], extension: '5001' });
    expect(renamed.status).toBe(200);
    expect(renamed.data).toMatchObject({ id: person.id, displayName: 'Grace Hopper', firstName: 'Grace', lastName: 'Hopper', extension: '5001' });
    expect((await api.put(`/people/${person.id}`, { firstName: 'No' })).status).toBe(400);
    expect((await api.put(`/people/${person.id}`, { displayName: 'X', emails: ['other@ren.test'] })).status).toBe(400);
    expect((await api.put('/people/nobody', { displayName: 'X' })).status).toBe(404);
    expect(sim.state.people.get(person.id)?.firstName).toBe('Grace');
  });
});
