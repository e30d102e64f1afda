import axios from 'axios';
import { latestReconciliation } from '../../src/reconcile/stored';
import { subscriberOf } from '../support/deliver';
import { eventually, Harness } from '../support/harness';
import { movableClock } from '../support/movableClock';
import { sample } from '../support/prometheus';
import { describeHarnessOnEachStore } from '../support/storeHarness';
import { RECONCILE_ENV, subscription } from '../reconcile/scenarios';

const HOUR = 3_600_000;
const clock = movableClock();

async function metrics(h: Harness): Promise<string> {
  return (await axios.get<string>(`${h.connector.metricsUrl}/metrics`, { responseType: 'text' })).data;
}

/** Waits for a scheduled run newer than `afterRunId`, and returns its report. */
async function nextScheduledRun(h: Harness, afterRunId = 0) {
  return eventually(async () => {
    const run = await h.connector.store.reconciliations.latest();
    if (!run || run.id <= afterRunId) throw new Error('no new reconciliation yet');
    const latest = await latestReconciliation(h.connector.store);
    expect(latest?.report.trigger).toBe('schedule');
    return { id: run.id, ...latest! };
  }, 15_000);
}

describeHarnessOnEachStore(
  'the server reconciles on a schedule, shows it in its metrics, and repairs only with RECONCILE_FIX=true',
  { clock, env: { ...RECONCILE_ENV, RECONCILE_EVERY_MINUTES: '60', RECONCILE_CALLS_PER_SECOND: '50' } },
  (h) => {
    let firstRun = 0;

    test('the first run is at start, and the gauges then say in sync', async () => {
      const run = await nextScheduledRun(h());
      firstRun = run.id;
      expect(run.report).toMatchObject({ mode: 'report', accounts: 0, drift: [] });
      const text = await metrics(h());
      expect(sample(text, 'connector_reconcile_last_run_timestamp_seconds')).toBeCloseTo(run.report.finishedAt / 1000, 3);
      for (const kind of ['customer_missing', 'subscriber_missing', 'subscriber_unknown', 'wrong_packages', 'stuck']) expect(sample(text, 'connector_drift_accounts', { kind })).toBe(0);
      expect(sample(text, 'connector_reconcile_unchecked_accounts')).toBe(0);
    });

    test('drift made meanwhile is found by the next run, an hour later, and shown by the metric; nothing is repaired', async () => {
      const company = await subscription(h(), 'Scheduled Co', 'PRO', 1);
      h().webex.backstage.deleteSubscriber(company.users[1]);
      // The next run is an hour after the first.
      expect((await h().connector.store.queue.get('webex-reconcile'))?.runAt).toBeGreaterThan(clock.now() + 59 * 60_000);

      const writesBefore = h().webex.calls.filter((c) => c.method !== 'GET').length;
      clock.advance(HOUR + 1000);
      const run = await nextScheduledRun(h(), firstRun);
      expect(run.report.drift).toEqual([expect.objectContaining({ kind: 'subscriber_missing', accountId: company.companyUuid, email: company.users[1], resolution: expect.objectContaining({ kind: 'repairable' }) })]);
      expect(h().webex.calls.filter((c) => c.method !== 'GET').length).toBe(writesBefore);
      expect(subscriberOf(h(), company.users[1])).toBeUndefined();
      expect(sample(await metrics(h()), 'connector_drift_accounts', { kind: 'subscriber_missing' })).toBe(1);
      expect(h().logs.some((line) => line.includes('reconciliation found drift between AppDirect and Webex'))).toBe(true);
      firstRun = run.id;
    });

    test('with RECONCILE_FIX=true the next run repairs it, journals the repair, and the metric drops to 0', async () => {
      h().env.RECONCILE_FIX = 'true';
      await h().restartConnector();
      clock.advance(HOUR + 1000);
      const run = await nextScheduledRun(h(), firstRun);
      expect(run.report.mode).toBe('fix');
      expect(run.report.drift).toEqual([expect.objectContaining({ kind: 'subscriber_missing', resolution: expect.objectContaining({ kind: 'repaired', trackingId: expect.stringMatching(/^SIM_/) }) })]);
      expect(run.repairs).toEqual([expect.objectContaining({ outcome: 'repaired', driftKind: 'subscriber_missing', trackingId: run.report.drift[0].resolution.kind === 'repaired' ? run.report.drift[0].resolution.trackingId : '' })]);
      const email = run.report.drift[0].email!;
      expect(subscriberOf(h(), email)?.packages).toEqual(['webex_calling']);
      expect(sample(await metrics(h()), 'connector_drift_accounts', { kind: 'subscriber_missing' })).toBe(0);
    });
  },
);

describeHarnessOnEachStore('a scheduled reconciliation under way when the server stops', { env: { ...RECONCILE_ENV, RECONCILE_EVERY_MINUTES: '60', RECONCILE_CALLS_PER_SECOND: '1' } }, (h) => {
  test('stops at its next Webex call, and runs again at the next start', async () => {
    await nextScheduledRun(h());
    for (const name of ['Slow One', 'Slow Two', 'Slow Three']) await subscription(h(), name, 'BASIC');
    const before = (await h().connector.store.reconciliations.latest())!.id;
    await h().connector.store.queue.bringForward('webex-reconcile', Date.now(), Date.now());
    // At one call a second, the run lists the customers, then waits for its turn for each customer's subscribers.
    await eventually(() => expect(h().webex.calls.filter((c) => c.path === '/wholesale/customers' && c.query.max === '100').length).toBe(2), 15_000);
    await h().restartConnector();
    expect(h().logs.some((line) => line.includes('reconciliation stopped before the end; it runs again at the next start'))).toBe(true);
    const run = await nextScheduledRun(h(), before);
    expect(run.report.accounts).toBe(3);
  });
});
