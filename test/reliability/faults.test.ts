import { describeWithPostgres } from '../store/testDatabase';
import { addAssignment, addOrder, allResolved } from './support/events';
import { Fleet, startFleet, StoreKind } from './support/fleet';
import { Expected, injectedFaults, report, settleAndTally } from './support/outcome';

const ORDERS = 30;
const ASSIGNMENTS = 10;
// Past WEBEX_TIMEOUT_MS and APPDIRECT_TIMEOUT_MS (1000 in the fleet), so the client gives up waiting.
const SLOW_MS = 1500;

/** Webex and AppDirect misbehave while events arrive: rate limits, server errors, slow answers, dropped connections. */
function injectFaults(fleet: Fleet, firstTokens: string[]): void {
  fleet.webex.faults.rate({ probability: 0.2, statuses: [429, 500, 503], retryAfterSeconds: 1, resetProbability: 0.05, seed: 20240601 });
  fleet.webex.faults.next({ method: 'GET', pathPrefix: '/wholesale/customers', status: 503, delayMs: SLOW_MS, times: 3 });
  fleet.webex.faults.next({ method: 'POST', pathPrefix: '/wholesale/subscribers', status: 500, delayMs: SLOW_MS, times: 2 });
  fleet.webex.faults.next({ method: 'POST', pathPrefix: '/wholesale/customers', reset: true, times: 2 });
  fleet.appDirect.faults.event('*', { status: 503, times: 8 });
  for (const token of firstTokens) fleet.appDirect.faults.event(token, { delayMs: SLOW_MS, times: 1 });
  fleet.appDirect.faults.result({ status: 503, times: 8, retryAfterSeconds: 1 });
  fleet.appDirect.faults.tokenEndpoint({ status: 500, times: 2 });
}

/** Notifies each event, a third of them twice (AppDirect resends), spread over a moment as real traffic is. */
async function notifyAll(fleet: Fleet, events: Expected[]): Promise<void> {
  await Promise.all(
    events.map(async (event, i) => {
      await new Promise((r) => setTimeout(r, i * 40));
      await Promise.all([fleet.notify(event.token), i % 3 === 0 ? fleet.notify(event.token) : undefined]);
    }),
  );
}

function faultRun(store: StoreKind, instances: number): void {
  let fleet: Fleet;
  beforeAll(async () => {
    // A long lease: with another live instance, a claim must outlast the slowest attempt these faults cause.
    fleet = await startFleet({ store, instances, customerProvisioningMs: 400, subscriberProvisioningMs: 150, env: { JOB_LEASE_MS: '30000' } });
    await Promise.all(Array.from({ length: instances }, (_, i) => fleet.start(i)));
  });
  afterAll(() => fleet.close());

  test(`${ORDERS} orders and ${ASSIGNMENTS} assignments each reach exactly one result, and nothing is created twice`, async () => {
    const orders = Array.from({ length: ORDERS }, () => addOrder(fleet, 'CALLING'));
    injectFaults(fleet, orders.slice(0, 3).map((o) => o.token));
    await notifyAll(fleet, orders);
    await allResolved(fleet, orders, 90_000);

    const assignments = orders.slice(0, ASSIGNMENTS).map((o) => addAssignment(fleet, o.companyUuid));
    await notifyAll(fleet, assignments);
    await allResolved(fleet, assignments, 60_000);

    const outcome = await settleAndTally(fleet, [...orders, ...assignments]);
    report(`Webex and AppDirect faults, ${store}`, fleet, instances, [outcome]);
    expect(injectedFaults(fleet)).toBeGreaterThan(20);
    expect(outcome).toMatchObject({ lost: [], duplicated: [], wrong: [], unsettled: [] });
    // Room for both waits above and the settling: random 429s slow the learnt pace (docs/configuration.md, WEBEX_MAX_CALLS_PER_SECOND).
  }, 240_000);
}

describe('under injected faults: embedded SQLite, one instance', () => faultRun('sqlite', 1));
describeWithPostgres('under injected faults: PostgreSQL, two instances', () => faultRun('postgres', 2));
