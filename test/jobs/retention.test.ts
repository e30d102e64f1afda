import axios from 'axios';
import { assignEvent } from '../../sim/appdirect/events';
import { deliver, freshEmail } from '../support/deliver';
import { eventually } from '../support/harness';
import { movableClock } from '../support/movableClock';
import { sample } from '../support/prometheus';
import { describeHarnessOnEachStore } from '../support/storeHarness';
import { RECONCILE_ENV, subscription } from '../reconcile/scenarios';

const DAY = 24 * 3600_000;
const clock = movableClock();

describeHarnessOnEachStore('the server keeps its journal bounded', { clock, env: { ...RECONCILE_ENV, JOURNAL_RETENTION_DAYS: '2' } }, (h) => {
  test('an hourly job removes events finished more than JOURNAL_RETENTION_DAYS ago, keeping each account\'s newest and the account memory', async () => {
    const company = await subscription(h(), 'Retained Co', 'BASIC');
    const [order] = await h().connector.store.journal.recent(1);
    expect(order.type).toBe('SUBSCRIPTION_ORDER');
    clock.advance(DAY);
    const assigned = await deliver(h(), assignEvent({ accountIdentifier: company.companyUuid, user: { email: freshEmail(), firstName: 'R', lastName: 'T' } }));
    expect(assigned.result).toMatchObject({ success: true });

    // Two days after the order, one after the assignment: the order goes at the next hourly run, the assignment stays.
    clock.advance(DAY + 3600_000);
    await eventually(async () => expect(await h().connector.store.journal.get(order.token)).toBeUndefined(), 15_000);
    expect(await h().connector.store.journal.timeline(order.token)).toEqual([]);
    expect(await h().connector.store.queue.get(`event:${order.token}`)).toBeUndefined();
    expect(await h().connector.store.journal.get(assigned.token)).toMatchObject({ result: { success: true } });
    expect(await h().connector.store.accounts.users(company.companyUuid)).toHaveLength(2);

    // The run counts and logs what it removed once all its batches are done, a moment after the event is gone.
    await eventually(async () => {
      const text = (await axios.get<string>(`${h().connector.metricsUrl}/metrics`, { responseType: 'text' })).data;
      expect(sample(text, 'connector_retention_removed_total', { what: 'events' })).toBe(1);
      expect(sample(text, 'connector_retention_removed_total', { what: 'timeline' })).toBeGreaterThan(0);
      expect(h().logs.some((line) => line.includes('journal retention removed what finished more than 2 days ago'))).toBe(true);
    }, 15_000);
  });
});
