import { randomUUID } from 'node:crypto';
import { orderEvent } from '../../sim/appdirect/events';
import { Harness, startHarness } from '../support/harness';

/** A new company's order, notified; its token and company. */
async function notifyOrder(h: Harness) {
  const companyUuid = randomUUID();
  const { token } = h.appDirect.addEvent(orderEvent({ companyUuid, companyName: 'Queue Co', email: `${companyUuid.slice(0, 8)}@buyer.example.com`, firstName: 'Q', lastName: 'Q', editionCode: 'BASIC' }));
  const answer = await h.appDirect.notify(h.connector.url, token);
  expect(answer.status).toBe(202);
  return { token, companyUuid };
}

describe('results and a queue of work (one job at a time)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { JOB_CONCURRENCY: '1', SYNC_BUDGET_MS: '0', EDITION_PACKAGES: '{"BASIC":"webex_meetings"}' } });
  });
  afterAll(() => h.close());

  test('an event worked to its end has its result delivered next, not after the events notified meanwhile', async () => {
    const first = await notifyOrder(h);
    // Notified while the first one is still being worked (a new customer provisions for 300 ms).
    const later = [];
    for (let i = 0; i < 4; i++) later.push(await notifyOrder(h));

    for (const { token } of [first, ...later]) await expect(h.appDirect.waitForResult(token, 30_000)).resolves.toMatchObject({ success: true });
    const finishedAt = (await h.connector.store.journal.get(first.token))!.finishedAt!;
    const deliveredAt = h.appDirect.results.find((r) => r.token === first.token)!.at;
    // One job at a time: between the first event's end and its result, nothing else was worked on.
    const callsBetween = h.webex.calls.filter((c) => c.at > finishedAt && c.at < deliveredAt);
    expect(callsBetween.map((c) => `${c.method} ${c.path}`)).toEqual([]);
    expect(h.webex.calls.filter((c) => c.at > deliveredAt).length).toBeGreaterThan(0); // the others were still being worked
  });
});
