import { randomUUID } from 'node:crypto';
import { assignEvent, cancelEvent, changeEvent, noticeEvent, orderEvent, unassignEvent } from '../../sim/appdirect/events';
import { eventually, Harness, startHarness } from '../support/harness';
import { deliveryJobId } from '../../src/jobs/eventJobs';
import { deliver } from '../support/deliver';

const EDITIONS = '{"BASIC":"webex_meetings","PRO":"webex_calling"}';

/** Orders a company through the whole flow and returns its account identifier. */
async function orderCompany(h: Harness, edition = 'PRO', email = `${randomUUID().slice(0, 8)}@buyer.example.com`) {
  const companyUuid = randomUUID();
  const delivered = await deliver(h, orderEvent({ companyUuid, companyName: 'Acme Pizza', email, firstName: 'Ada', lastName: 'Lovelace', editionCode: edition }), 'create');
  return { companyUuid, email, ...delivered };
}

describe('a new company orders (Webex takes longer than the answer budget)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ customerProvisioningMs: 2500, env: { SYNC_BUDGET_MS: '500', EDITION_PACKAGES: EDITIONS } });
  });
  afterAll(() => h.close());

  test('answers 202 at once, then posts one successful result through the result endpoint', async () => {
    const { companyUuid, email, token, answer, result } = await orderCompany(h);
    expect(answer).toEqual({ status: 202, body: expect.objectContaining({ success: true }) });
    expect(result).toMatchObject({ success: true, accountIdentifier: companyUuid, userIdentifier: expect.any(String) });
    expect(h.appDirect.results.filter((r) => r.token === token)).toHaveLength(1);

    const customers = [...h.webex.state.customers.values()].filter((c) => c.externalId === companyUuid);
    expect(customers).toHaveLength(1);
    const subscribers = [...h.webex.state.subscribers.values()].filter((s) => s.email === email);
    expect(subscribers).toHaveLength(1);
    expect(subscribers[0].packages).toEqual(['webex_calling']);
    expect(subscribers[0].provisioningParameters.extension).toMatch(/^\d{4}$/);
    expect(subscribers[0].provisioningParameters.locationId).toBeTruthy();
  });

  test('never lists every customer and never uses the deprecated singular package field', () => {
    const customerLists = h.webex.calls.filter((c) => c.method === 'GET' && c.path === '/wholesale/customers');
    expect(customerLists.length).toBeGreaterThan(0);
    for (const call of customerLists) expect(call.query.externalId).toBeTruthy();
    const subscriberWrites = h.webex.calls.filter((c) => c.path.startsWith('/wholesale/subscribers') && ['POST', 'PUT'].includes(c.method));
    for (const call of subscriberWrites) expect(call.requestBody).not.toHaveProperty('package');
  });
});

describe('events on an existing account', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { EDITION_PACKAGES: EDITIONS } });
  });
  afterAll(() => h.close());

  test('an order for a company that already exists is answered synchronously', async () => {
    const first = await orderCompany(h, 'BASIC');
    const { token } = h.appDirect.addEvent(
      orderEvent({ companyUuid: first.companyUuid, companyName: 'Acme Pizza', email: 'second@buyer.example.com', firstName: 'Bo', lastName: 'B', editionCode: 'BASIC' }),
    );
    const answer = await h.appDirect.notify(h.connector.url, token);
    expect(answer).toEqual({ status: 200, body: expect.objectContaining({ success: true, accountIdentifier: first.companyUuid }) });
    expect(h.appDirect.results.find((r) => r.token === token)).toBeUndefined();
  });

  test('a change moves the subscriber to the new package, adding location and extension for calling', async () => {
    const { companyUuid, email } = await orderCompany(h, 'BASIC');
    const before = [...h.webex.state.subscribers.values()].find((s) => s.email === email)!;
    expect(before.packages).toEqual(['webex_meetings']);
    expect(before.provisioningParameters.extension).toBeUndefined();

    const { result } = await deliver(h, changeEvent({ accountIdentifier: companyUuid, email, editionCode: 'PRO' }));
    expect(result).toMatchObject({ success: true, accountIdentifier: companyUuid });
    const after = [...h.webex.state.subscribers.values()].find((s) => s.email === email)!;
    expect(after.packages).toEqual(['webex_calling']);
    expect(after.provisioningParameters.extension).toMatch(/^\d{4}$/);
    expect(after.provisioningParameters.locationId).toBeTruthy();
  });

  test('a change made by another administrator moves every subscriber of the account', async () => {
    const { companyUuid, email } = await orderCompany(h, 'BASIC');
    const colleague = { email: `${randomUUID().slice(0, 8)}@buyer.example.com`, firstName: 'Co', lastName: 'League' };
    await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: colleague }));
    const admin = { email: 'another.admin@buyer.example.com', firstName: 'Other', lastName: 'Admin' };
    const { result } = await deliver(h, changeEvent({ accountIdentifier: companyUuid, editionCode: 'PRO', creator: admin }));
    expect(result).toMatchObject({ success: true, accountIdentifier: companyUuid });
    for (const user of [email, colleague.email]) {
      const subscriber = [...h.webex.state.subscribers.values()].find((s) => s.email === user)!;
      expect(subscriber.packages).toEqual(['webex_calling']);
      expect(subscriber.provisioningParameters.extension).toMatch(/^\d{4}$/);
    }
  });

  test('a cancellation removes the subscribers and their people, keeping the customer by default', async () => {
    const { companyUuid, email } = await orderCompany(h, 'PRO');
    const { result } = await deliver(h, cancelEvent({ accountIdentifier: companyUuid }));
    expect(result).toMatchObject({ success: true, accountIdentifier: companyUuid });
    expect([...h.webex.state.subscribers.values()].filter((s) => s.email === email)).toHaveLength(0);
    expect([...h.webex.state.people.values()].filter((p) => p.emails.includes(email))).toHaveLength(0);
    expect([...h.webex.state.customers.values()].filter((c) => c.externalId === companyUuid)).toHaveLength(1);
  });

  test('an event for an account Webex does not know is ACCOUNT_NOT_FOUND', async () => {
    const { result } = await deliver(h, cancelEvent({ accountIdentifier: 'no-such-account' }));
    expect(result).toMatchObject({ success: false, errorCode: 'ACCOUNT_NOT_FOUND' });
  });

  test('notices are acknowledged synchronously; CLOSED removes the subscribers', async () => {
    const { companyUuid, email } = await orderCompany(h, 'BASIC');
    const deactivated = await deliver(h, noticeEvent({ accountIdentifier: companyUuid, type: 'DEACTIVATED' }));
    expect(deactivated.answer).toEqual({ status: 200, body: expect.objectContaining({ success: true }) });
    expect([...h.webex.state.subscribers.values()].filter((s) => s.email === email)).toHaveLength(1);

    const closed = await deliver(h, noticeEvent({ accountIdentifier: companyUuid, type: 'CLOSED' }));
    expect(closed.answer.status).toBe(200);
    expect([...h.webex.state.subscribers.values()].filter((s) => s.email === email)).toHaveLength(0);
  });

  test('user assignment adds a subscriber with the account package; unassignment removes it', async () => {
    const { companyUuid } = await orderCompany(h, 'PRO');
    const user = { email: 'colleague@buyer.example.com', firstName: 'Cy', lastName: 'C' };
    const assigned = await deliver(h, assignEvent({ accountIdentifier: companyUuid, user }));
    expect(assigned.result).toMatchObject({ success: true, accountIdentifier: companyUuid, userIdentifier: expect.any(String) });
    const sub = [...h.webex.state.subscribers.values()].find((s) => s.email === user.email)!;
    expect(sub.packages).toEqual(['webex_calling']);

    const again = await deliver(h, assignEvent({ accountIdentifier: companyUuid, user }));
    expect(again.result).toMatchObject({ success: false, errorCode: 'USER_ALREADY_EXISTS' });

    const removed = await deliver(h, unassignEvent({ accountIdentifier: companyUuid, user }));
    expect(removed.result).toMatchObject({ success: true });
    expect([...h.webex.state.subscribers.values()].filter((s) => s.email === user.email)).toHaveLength(0);

    const missing = await deliver(h, unassignEvent({ accountIdentifier: companyUuid, user }));
    expect(missing.result).toMatchObject({ success: false, errorCode: 'USER_NOT_FOUND' });
  });

  test('a customer Webex fails to provision fails the order with Webex\'s reason', async () => {
    const companyUuid = randomUUID();
    h.webex.control.customerOutcome(companyUuid, 'error', 'PSTN provider rejected the location');
    const event = orderEvent({ companyUuid, companyName: 'Broken', email: 'broken@buyer.example.com', firstName: 'B', lastName: 'B', editionCode: 'BASIC' });
    const { result } = await deliver(h, event);
    expect(result).toMatchObject({ success: false, errorCode: 'UNKNOWN_ERROR', message: expect.stringContaining('PSTN provider rejected the location') });
    expect([...h.webex.state.subscribers.values()].filter((s) => s.email === 'broken@buyer.example.com')).toHaveLength(0);
  });

  test('a customer provisioned with errors is logged with its warnings and the order carries on', async () => {
    const companyUuid = randomUUID();
    h.webex.control.customerOutcome(companyUuid, 'provisioned_with_errors', 'Calling maintenance window');
    const event = orderEvent({ companyUuid, companyName: 'Partial', email: 'partial@buyer.example.com', firstName: 'P', lastName: 'P', editionCode: 'BASIC' });
    const { result } = await deliver(h, event);
    expect(result).toMatchObject({ success: true, accountIdentifier: companyUuid });
    const warning = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg?.startsWith('Webex provisioned the customer with errors'));
    expect(JSON.stringify(warning.warnings)).toContain('Calling maintenance window');
  });

  test('an unsupported event type is a CONFIGURATION_ERROR naming the type', async () => {
    const { result } = await deliver(h, { type: 'ADDON_ORDER', creator: null, payload: {} });
    expect(result).toEqual({ success: false, errorCode: 'CONFIGURATION_ERROR', message: expect.stringContaining('ADDON_ORDER') });
  });

  test('a STATELESS ping gets a well-formed success and changes nothing in Webex', async () => {
    const callsBefore = h.webex.calls.length;
    const event = orderEvent({ companyUuid: randomUUID(), companyName: 'Ping', email: 'ping@example.com', firstName: 'P', lastName: 'P', editionCode: 'PRO', flag: 'STATELESS' });
    const { answer } = await deliver(h, event);
    expect(answer).toEqual({ status: 200, body: expect.objectContaining({ success: true, accountIdentifier: expect.any(String) }) });
    expect(h.webex.calls.length).toBe(callsBefore);
  });

  test('a failed precheck is INVALID_OPERATION with Webex\'s reason and tracking ID', async () => {
    const { companyUuid } = await orderCompany(h, 'BASIC');
    // webex_suite is not among the customer's packages (CUSTOMER_PACKAGES), so Webex refuses it at precheck.
    const { result } = await deliver(h, orderEvent({ companyUuid, companyName: 'Acme Pizza', email: 'suite@buyer.example.com', firstName: 'S', lastName: 'U', editionCode: 'webex_suite' }));
    expect(result).toEqual({ success: false, errorCode: 'INVALID_OPERATION', message: expect.stringMatching(/precheck: Package webex_suite is not provisioned for this customer\. \(Webex tracking ID \S+\)/) });
    expect([...h.webex.state.subscribers.values()].filter((s) => s.email === 'suite@buyer.example.com')).toHaveLength(0);
  });

  test('a user who already belongs to another organisation is USER_ALREADY_EXISTS', async () => {
    const { companyUuid } = await orderCompany(h, 'PRO');
    const { email } = await orderCompany(h, 'BASIC');
    const { result } = await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: { email, firstName: 'X', lastName: 'Y' } }));
    expect(result).toEqual({ success: false, errorCode: 'USER_ALREADY_EXISTS', message: expect.stringMatching(/tracking ID \S+/) });
  });
});

describe('duplicates and transient failures', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ manualSweeps: true, customerProvisioningMs: 800, env: { SYNC_BUDGET_MS: '300', EDITION_PACKAGES: EDITIONS } });
  });
  afterAll(() => h.close());

  test('the same notification sent several times provisions once and gets one outcome', async () => {
    const companyUuid = randomUUID();
    const email = 'dup@buyer.example.com';
    const { token } = h.appDirect.addEvent(orderEvent({ companyUuid, companyName: 'Dup Inc', email, firstName: 'D', lastName: 'D', editionCode: 'PRO' }));
    const answers = await Promise.all([1, 2, 3].map(() => h.appDirect.notify(h.connector.url, token)));
    for (const a of answers) expect(a.status).toBe(202);
    const result = await h.appDirect.waitForResult(token, 15_000);
    expect(result).toMatchObject({ success: true, accountIdentifier: companyUuid });
    // Once resolved, a late repeat gets the same result synchronously and provisions nothing.
    const late = await h.appDirect.notify(h.connector.url, token);
    expect(late).toEqual({ status: 200, body: result });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.webex.calls.filter((c) => c.method === 'POST' && c.path === '/wholesale/customers' && c.status === 202)).toHaveLength(1);
    expect(h.webex.calls.filter((c) => c.method === 'POST' && c.path === '/wholesale/subscribers' && c.status < 300)).toHaveLength(1);
    expect(h.appDirect.results.filter((r) => r.token === token)).toHaveLength(1);
  });

  test('two orders of the same new company at once make one customer and both succeed', async () => {
    const companyUuid = randomUUID();
    const orders = ['first@race.example.com', 'second@race.example.com'].map((email) =>
      h.appDirect.addEvent(orderEvent({ companyUuid, companyName: 'Race Ltd', email, firstName: 'R', lastName: 'R', editionCode: 'BASIC' })),
    );
    await Promise.all(orders.map(({ token }) => h.appDirect.notify(h.connector.url, token)));
    for (const { token } of orders) await expect(h.appDirect.waitForResult(token, 15_000)).resolves.toMatchObject({ success: true, accountIdentifier: companyUuid });
    expect([...h.webex.state.customers.values()].filter((c) => c.externalId === companyUuid)).toHaveLength(1);
  });

  test('a repeat after the first answer was lost gets the result, which is then not POSTed as well', async () => {
    const { token, eventUrl } = h.appDirect.addEvent(orderEvent({ companyUuid: randomUUID(), companyName: 'Lost', email: 'lost@buyer.example.com', firstName: 'L', lastName: 'L', editionCode: 'BASIC' }));
    // As if the process died after finishing the work but before answering the first notification.
    const store = h.connector.store;
    const longAgo = Date.now() - 10 * 60_000;
    await store.journal.record(token, eventUrl, longAgo);
    await store.journal.complete(token, { success: true, accountIdentifier: 'acc-lost' }, longAgo);

    const again = await h.appDirect.notify(h.connector.url, token);
    expect(again).toEqual({ status: 200, body: { success: true, accountIdentifier: 'acc-lost' } });
    // The sweep that adopts unanswered notifications finds it answered.
    await h.connector.runner.runSweeps();
    expect(await store.journal.get(token)).toMatchObject({ ack: 'sync', delivery: 'none' });
    expect(await store.queue.get(deliveryJobId(token))).toBeUndefined();
  });

  test('Webex 429 with Retry-After and 5xx are waited out', async () => {
    h.webex.faults.next({ method: 'GET', pathPrefix: '/wholesale/customers', status: 429, retryAfterSeconds: 1 });
    h.webex.faults.next({ method: 'POST', pathPrefix: '/wholesale/customers', status: 503, times: 2 });
    h.webex.faults.next({ method: 'POST', pathPrefix: '/wholesale/subscribers', status: 500 });
    const { result } = await orderCompany(h, 'BASIC');
    expect(result).toMatchObject({ success: true });
    expect(h.webex.calls.filter((c) => [429, 500, 503].includes(c.status)).length).toBeGreaterThanOrEqual(4);
    // Retry warnings come from deep in the Webex client and still name the event they belong to.
    const retries = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'Webex call failed, retrying' || l.msg === 'transient failure; will retry');
    expect(retries.length).toBeGreaterThan(0);
    for (const line of retries) expect(line.eventToken).toEqual(expect.any(String));
  });

  test('AppDirect failing on the event and on the result endpoint for a while loses nothing', async () => {
    const companyUuid = randomUUID();
    const { token } = h.appDirect.addEvent(orderEvent({ companyUuid, companyName: 'Flaky', email: 'flaky@buyer.example.com', firstName: 'F', lastName: 'F', editionCode: 'BASIC' }));
    h.appDirect.faults.event(token, { status: 503, times: 2 });
    h.appDirect.faults.result({ status: 500, times: 2 });
    const answer = await h.appDirect.notify(h.connector.url, token);
    expect(answer.status).toBe(202);
    await expect(h.appDirect.waitForResult(token, 15_000)).resolves.toMatchObject({ success: true, accountIdentifier: companyUuid });
    await eventually(async () => expect((await h.connector.store.journal.get(token))?.delivery).toBe('delivered'));
  });
});
