import { randomUUID } from 'node:crypto';
import { orderEvent } from '../../sim/appdirect/events';
import { Harness, startHarness } from '../support/harness';

const EDITIONS = '{"MEETINGS":"webex_meetings","CALLING":"webex_calling"}';

/** The account memory keeps what Webex said (customer, organisation, calling location), so repeat orders cost few calls. */
describe('what the connector remembers of Webex', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ customerProvisioningMs: 200, subscriberProvisioningMs: 50, env: { EDITION_PACKAGES: EDITIONS, SYNC_BUDGET_MS: '5000' } });
  });
  afterAll(() => h.close());

  const buy = async (company: string, edition: string) => {
    const email = `${randomUUID().slice(0, 8)}@buyer.example.com`;
    const { token } = h.appDirect.addEvent(orderEvent({ companyUuid: company, companyName: `Cached ${company.slice(0, 6)}`, email, firstName: 'C', lastName: 'C', editionCode: edition }));
    const before = h.webex.calls.length;
    const answer = await h.appDirect.notify(h.connector.url, token);
    const result = answer.status === 200 ? answer.body : await h.appDirect.waitForResult(token, 15_000);
    return { result, calls: h.webex.calls.slice(before).filter((c) => c.status !== 429) };
  };
  const pathsOf = (calls: Array<{ method: string; path: string }>) => calls.map((c) => `${c.method} ${c.path.replace(/\/[A-Za-z0-9_=-]{20,}/g, '/{id}')}`);

  test('an order for a company already served asks Webex nothing it knows: no lookup, no location list', async () => {
    const company = randomUUID();
    expect((await buy(company, 'CALLING')).result).toMatchObject({ success: true });
    const meetings = await buy(company, 'MEETINGS');
    expect(meetings.result).toMatchObject({ success: true });
    expect(pathsOf(meetings.calls)).toEqual(['POST /wholesale/subscribers/validate', 'POST /wholesale/subscribers', 'GET /wholesale/subscribers/{id}']);
    const calling = await buy(company, 'CALLING');
    expect(calling.result).toMatchObject({ success: true });
    expect(pathsOf(calling.calls)).toEqual([
      'POST /wholesale/subscribers/validate',
      'POST /telephony/config/locations/{id}/actions/validateExtensions/invoke',
      'POST /wholesale/subscribers',
      'GET /wholesale/subscribers/{id}',
    ]);
  });

  test('a calling location removed behind its back is noticed (404), the locations read again, and the order goes through', async () => {
    const company = randomUUID();
    await buy(company, 'CALLING');
    const account = (await h.connector.store.accounts.get(company))!;
    const removed = h.webex.state.locations.get(account.locationId!)!;
    h.webex.state.locations.delete(removed.id);
    h.webex.state.locations.set(`${removed.id}-new`, { ...removed, id: `${removed.id}-new`, name: 'New Office' });
    const again = await buy(company, 'CALLING');
    expect(again.result).toMatchObject({ success: true });
    expect(pathsOf(again.calls)).toContain('GET /locations');
    expect((await h.connector.store.accounts.get(company))?.locationId).toBe(`${removed.id}-new`);
  });

  test('a customer deleted behind its back is looked up afresh (and made again) instead of failing the order', async () => {
    const company = randomUUID();
    await buy(company, 'MEETINGS');
    const old = (await h.connector.store.accounts.get(company))!.customerId!;
    h.webex.state.customers.delete(old);
    const again = await buy(company, 'MEETINGS');
    expect(again.result).toMatchObject({ success: true });
    const now = (await h.connector.store.accounts.get(company))!.customerId;
    expect(now).not.toBe(old);
    expect(h.webex.state.customers.get(now!)?.externalId).toBe(company);
  });
});
