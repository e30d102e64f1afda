import type { AxiosInstance, AxiosResponse } from 'axios';
import type { WebexSim } from '../../../sim/webex';
import { customerBody, startFastSim } from './simTestKit';

const NEXT_LINK = /^<([^>]+)>; rel="next"$/;

describe('webex sim: list pagination', () => {
  let sim: WebexSim;
  let api: AxiosInstance;
  beforeAll(async () => {
    ({ sim, api } = await startFastSim({ pageSize: 2, customerProvisioningMs: 60_000 }));
    for (const n of [1, 2, 3, 4, 5]) await api.post('/wholesale/customers', customerBody(`page-${n}`));
  });
  afterAll(() => sim.close());

  it('pages with the default size and a Link rel="next" header until the last page', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${sim.url}/wholesale/customers?status=provisioning`;
    let pages = 0;
    while (url) {
      const res: AxiosResponse = await api.get(url);
      pages += 1;
      seen.push(...res.data.items.map((c: { externalId: string }) => c.externalId));
      url = res.headers.link ? NEXT_LINK.exec(res.headers.link)?.[1] : undefined;
      if (url) expect(new URL(url).searchParams.get('status')).toBe('provisioning');
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['page-1', 'page-2', 'page-3', 'page-4', 'page-5']);
  });

  it('honours max and offset', async () => {
    const res = await api.get('/wholesale/customers', { params: { max: 3, offset: 1 } });
    expect(res.data.items.map((c: { externalId: string }) => c.externalId)).toEqual(['page-2', 'page-3', 'page-4']);
    expect(res.headers.link).toBe(`<${sim.url}/wholesale/customers?max=3&offset=4>; rel="next"`);
    const last = await api.get('/wholesale/customers', { params: { max: 3, offset: 3 } });
    expect(last.data.items).toHaveLength(2);
    expect(last.headers.link).toBeUndefined();
  });

  it('answers 400 for a max or offset that is not a non-negative integer', async () => {
    expect((await api.get('/wholesale/customers', { params: { max: 'ten' } })).status).toBe(400);
    expect((await api.get('/wholesale/customers', { params: { max: 0 } })).status).toBe(400);
    expect((await api.get('/wholesale/customers', { params: { offset: -1 } })).status).toBe(400);
  });
});
