import os from 'node:os';
import type { RecordedCall } from '../../sim/webex';
import { personOf, subscriberOf } from '../support/deliver';
import type { Harness } from '../support/harness';
import { describeHarnessOnEachStore } from '../support/storeHarness';
import { driftBehindTheConnectorsBack, driftByAccount, DriftedWorld, expectedDrift, orderEveryCompany, RECONCILE_ENV } from '../reconcile/scenarios';
import { events } from './runEvents';

/** Fast pacing for the runs whose pace is not what is tested. */
const QUICK = { RECONCILE_CALLS_PER_SECOND: '50' };

/** The Webex calls a CLI run made: every call the simulator answered while it ran (the connector itself is idle). */
async function callsDuring<T>(h: Harness, run: () => Promise<T>): Promise<{ result: T; calls: RecordedCall[] }> {
  const before = h.webex.calls.length;
  const result = await run();
  return { result, calls: h.webex.calls.slice(before) };
}

const writes = (calls: RecordedCall[]) => calls.filter((c) => c.method !== 'GET');

describe('reconcile: usage and configuration', () => {
  test('without the connector\'s configuration it exits 2 with one line naming what is missing', async () => {
    const run = await events(['reconcile'], { DATA_DIR: os.tmpdir() });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^events: reconcile calls Webex with the connector's configuration: [^\n]*WEBEX_TOKEN: required[^\n]*\(see \.env\.sample\)\n$/);
  });
});

describeHarnessOnEachStore('reconcile compares every account with Webex, repairs what it may, and only that', { env: RECONCILE_ENV }, (h) => {
  let w: DriftedWorld;
  beforeAll(async () => {
    w = await orderEveryCompany(h());
  });

  test('in sync: exit 0, one customer listing and one subscriber listing per customer, nothing written', async () => {
    const { result: run, calls } = await callsDuring(h(), () => events(['reconcile'], { ...h().env, ...QUICK }));
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toContain('Compared 8 subscription(s) of 8 Webex customer(s) in 9 Webex call(s)');
    expect(run.stdout).toContain('In sync: Webex agrees with what AppDirect was told.');
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /wholesale/customers', ...Array(8).fill('GET /wholesale/subscribers')]);
    for (const call of calls) expect(call.query).toMatchObject({ max: '100' });
    expect(new Set(calls.slice(1).map((c) => c.query.customerId)).size).toBe(8);
  });

  test('each drift made behind the connector\'s back is reported with its kind; exit 1; Webex is only read', async () => {
    driftBehindTheConnectorsBack(h(), w);
    const { result: run, calls } = await callsDuring(h(), () => events(['reconcile', '--json'], { ...h().env, ...QUICK }));
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(driftByAccount(report.drift)).toEqual(expectedDrift(w));
    expect(report).toMatchObject({ inSync: false, mode: 'report', trigger: 'cli', accounts: 8, unchecked: [] });
    expect(report.accountsWithDrift).toEqual({ customer_missing: 1, subscriber_missing: 2, subscriber_unknown: 1, wrong_packages: 1, stuck: 2 });
    // The deleted customer and the customer in error have no subscribers worth listing.
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /wholesale/customers', ...Array(6).fill('GET /wholesale/subscribers')]);

    const byAccount = (id: string) => report.drift.find((d: { accountId: string }) => d.accountId === id);
    expect(byAccount(w.userDeleted.companyUuid)).toMatchObject({ email: w.userDeleted.users[1], expected: ['webex_calling'], resolution: { kind: 'repairable' } });
    expect(byAccount(w.moved.companyUuid)).toMatchObject({ email: w.moved.users[0], expected: ['webex_calling'], actual: ['webex_meetings'], resolution: { kind: 'repairable' } });
    expect(byAccount(w.gone.companyUuid)).toMatchObject({ company: 'Gone Co', resolution: { kind: 'operator', reason: expect.stringContaining('never re-created') } });
    expect(byAccount(w.stranger.companyUuid)).toMatchObject({ email: w.strangerEmail, actual: ['webex_meetings'], resolution: { kind: 'operator' } });
    expect(byAccount(w.stalled.companyUuid)).toMatchObject({ email: w.stalled.users[1], status: 'provisioning', detail: expect.stringMatching(/has been provisioning since/) });
    expect(byAccount(w.broken.companyUuid)).toMatchObject({ status: 'error', detail: expect.stringContaining('The calling location could not be created.') });
  });

  test('the table shows the drift by kind, then each difference and what --fix would do', async () => {
    const run = await events(['reconcile'], { ...h().env, ...QUICK });
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DRIFT\s+ACCOUNTS\s+LEFT$/),
        expect.stringMatching(/^customer missing\s+1\s+1$/),
        expect.stringMatching(/^subscriber missing\s+2\s+2$/),
        expect.stringMatching(/^subscriber AppDirect does not know\s+1\s+1$/),
        expect.stringMatching(/^wrong packages\s+1\s+1$/),
        expect.stringMatching(/^stuck in Webex\s+2\s+2$/),
        '7 difference(s) remain.',
      ]),
    );
    const email = w.userDeleted.users[1];
    const at = lines.findIndex((l) => l.includes(email));
    expect(lines[at]).toMatch(new RegExp(`^subscriber missing\\s+Deleted User Co / ${w.userDeleted.companyUuid}\\s+${email.replace(/\./g, '\\.')}$`));
    expect(lines[at + 1]).toBe(`    Webex has no subscriber ${email}, a user AppDirect bills with webex_calling`);
    expect(lines[at + 2]).toMatch(/^ {4}--fix would: GET \/locations .*validateExtensions.*; POST \/wholesale\/subscribers \S+: webex_calling$/);
  });

  test('--dry-run shows the calls --fix would make, and changes nothing in Webex or in the store', async () => {
    const latestBefore = await h().connector.store.reconciliations.latest();
    const memory = () => Promise.all(Object.values(w).flatMap((c) => (typeof c === 'string' ? [] : [h().connector.store.accounts.users(c.companyUuid)])));
    const memoryBefore = await memory();
    const { result: run, calls } = await callsDuring(h(), () => events(['reconcile', '--dry-run', '--json'], { ...h().env, ...QUICK }));
    expect(run.status).toBe(1);
    expect(writes(calls)).toEqual([]);
    const report = JSON.parse(run.stdout);
    expect(report.mode).toBe('dry-run');
    const wouldCall = report.drift.filter((d: { resolution: { kind: string } }) => d.resolution.kind === 'would_repair').map((d: { resolution: { calls: string[] } }) => d.resolution.calls.at(-1));
    expect(wouldCall.sort()).toEqual(
      [
        `POST /wholesale/subscribers ${w.userDeleted.users[1]}: webex_calling`,
        `POST /wholesale/subscribers ${w.subscriberRemoved.users[0]}: webex_calling`,
        expect.stringMatching(new RegExp(`^PUT /wholesale/subscribers/\\S+ \\(${w.moved.users[0].replace(/\./g, '\\.')}\\): webex_meetings → webex_calling$`)),
      ].sort(),
    );
    expect((await h().connector.store.reconciliations.latest())?.id).toBe(latestBefore?.id);
    expect(await memory()).toEqual(memoryBefore);
  });

  test('--fix re-creates and restores what it may, journals each repair with its tracking ID, and leaves the rest', async () => {
    const recreated = (await h().connector.store.accounts.user(w.userDeleted.companyUuid, w.userDeleted.users[1]))!;
    const moved = (await h().connector.store.accounts.user(w.moved.companyUuid, w.moved.users[0]))!;
    const { result: run, calls } = await callsDuring(h(), () => events(['reconcile', '--fix', '--json'], { ...h().env, ...QUICK }));
    expect(run.status).toBe(1); // what it must not decide alone is left
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ mode: 'fix', repaired: 2, failedRepairs: 1 });
    expect(report.accountsLeft).toEqual({ customer_missing: 1, subscriber_missing: 1, subscriber_unknown: 1, wrong_packages: 0, stuck: 2 });

    // The deleted user is back, with its packages, location and extension.
    const back = subscriberOf(h(), w.userDeleted.users[1])!;
    expect(back.packages).toEqual(['webex_calling']);
    expect(back.provisioningParameters).toMatchObject({ extension: recreated.extension, locationId: recreated.locationId, firstName: 'Bo' });
    expect((await h().connector.store.accounts.user(w.userDeleted.companyUuid, w.userDeleted.users[1]))?.subscriberId).toBe(back.id);
    // The moved user has Webex Calling again, on its old extension.
    expect(subscriberOf(h(), w.moved.users[0])).toMatchObject({ packages: ['webex_calling'], provisioningParameters: { extension: moved.extension, locationId: moved.locationId } });
    // Webex refuses to create a subscriber whose Webex user stayed: recorded, explained, and the user left in place.
    expect(subscriberOf(h(), w.subscriberRemoved.users[0])).toBeUndefined();
    expect(personOf(h(), w.subscriberRemoved.users[0])).toBeDefined();
    const refused = report.drift.find((d: { accountId: string }) => d.accountId === w.subscriberRemoved.companyUuid);
    expect(refused.resolution).toMatchObject({ kind: 'repair_failed', trackingId: expect.stringMatching(/^SIM_/), detail: expect.stringContaining('still belongs to a Webex user') });
    // Only repairs: no customer created, nothing deleted, no package taken from anyone.
    const label = (c: RecordedCall) => `${c.method} ${c.path.startsWith('/telephony/') ? 'validateExtensions' : c.path.replace(/^\/wholesale\/subscribers\/.+$/, '/wholesale/subscribers/{id}')} ${c.status}`;
    expect(writes(calls).map(label).sort()).toEqual(
      ['POST validateExtensions 200', 'POST validateExtensions 200', 'POST validateExtensions 200', 'POST /wholesale/subscribers 202', 'POST /wholesale/subscribers 409', 'PUT /wholesale/subscribers/{id} 200'].sort(),
    );
    expect(subscriberOf(h(), w.strangerEmail)).toBeDefined();

    // Each repair is journaled with the tracking ID of the Webex call that made (or refused) it.
    const latest = (await h().connector.store.reconciliations.latest())!;
    const repairs = await h().connector.store.reconciliations.repairs(latest.id);
    expect(repairs.map((r) => [r.accountId, r.outcome]).sort()).toEqual(
      [
        [w.userDeleted.companyUuid, 'repaired'],
        [w.moved.companyUuid, 'repaired'],
        [w.subscriberRemoved.companyUuid, 'failed'],
      ].sort(),
    );
    for (const repair of repairs) {
      const call = calls.find((c) => c.responseHeaders.trackingid === repair.trackingId);
      expect(call && `${call.method} ${call.path}`).toMatch(/^(POST \/wholesale\/subscribers|PUT \/wholesale\/subscribers\/\S+)$/);
    }
  });

  test('afterwards only what the operator must decide is reported', async () => {
    const run = await events(['reconcile', '--json'], { ...h().env, ...QUICK });
    expect(run.status).toBe(1);
    const left = expectedDrift(w);
    delete left[w.userDeleted.companyUuid];
    delete left[w.moved.companyUuid];
    expect(driftByAccount(JSON.parse(run.stdout).drift)).toEqual(left);
  });

  test('calls are paced to RECONCILE_CALLS_PER_SECOND, and a terminal sees the progress', async () => {
    const quiet = await events(['reconcile'], { ...h().env, RECONCILE_CALLS_PER_SECOND: '4' });
    expect(quiet.stderr).toBe('');
    const { result: run, calls } = await callsDuring(h(), () => events(['reconcile'], { ...h().env, RECONCILE_CALLS_PER_SECOND: '4' }, { tty: true }));
    // Times are when the simulator received each call, so one late arrival shortens the gap after it: every gap
    // shows the spacing (unpaced calls come milliseconds apart), and the whole span shows the rate.
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i].at);
    expect(gaps.length).toBeGreaterThanOrEqual(5);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
    expect((calls.at(-1)!.at - calls[0].at) / gaps.length).toBeGreaterThanOrEqual(240);
    expect(run.stderr).toMatch(/\r\x1b\[Kreconcile: \d of 8 customer\(s\) compared, \d+ Webex call\(s\)/);
    expect(run.stderr.endsWith('\r\x1b[K')).toBe(true);
  });
});
