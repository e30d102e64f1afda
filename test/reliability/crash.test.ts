import { describeWithPostgres } from '../store/testDatabase';
import { eventually } from '../support/harness';
import { addOrder, allResolved } from './support/events';
import { Fleet, startFleet, StoreKind } from './support/fleet';
import type { HoldPoint } from './support/holdingProxy';
import { Expected, Outcome, report, settleAndTally } from './support/outcome';

const PROVISIONING_SEEN_WITHIN_MS = 20_000;
const RESOLVED_WITHIN_MS = 40_000;
const RANDOM_ORDERS = 10;
const RANDOM_CRASHES = 4;

/** Same seed, same moments: a failure can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The connector is SIGKILLed in the middle of provisioning and started again on the same store. */
function crashRun(store: StoreKind): void {
  let fleet: Fleet;
  const outcomes: Outcome[] = [];
  beforeAll(async () => {
    // A restarted instance of the shared store waits for the dead one's lease, so it is short here.
    fleet = await startFleet({ store, instances: 1, proxy: true, customerProvisioningMs: 800, subscriberProvisioningMs: 150, env: { JOB_LEASE_MS: '2000' } });
    await fleet.start(0);
  });
  afterAll(async () => {
    report(`SIGKILL crashes, ${store}`, fleet, 1, outcomes);
    await fleet.close();
  });

  const crashAndRestart = async () => {
    await fleet.kill(0);
    await fleet.start(0);
  };

  const expectExactlyOnce = async (events: Expected[]) => {
    await allResolved(fleet, events, RESOLVED_WITHIN_MS);
    const outcome = await settleAndTally(fleet, events);
    outcomes.push(outcome);
    expect(outcome).toMatchObject({ lost: [], duplicated: [], wrong: [], unsettled: [] });
  };

  test.each<[string, string, HoldPoint]>([
    ['before Webex is asked to create the customer', '/wholesale/customers', 'before-forwarding'],
    ['after Webex created the customer, before the connector heard back', '/wholesale/customers', 'after-webex-answered'],
    ['before Webex is asked to create the subscriber', '/wholesale/subscribers', 'before-forwarding'],
    ['after Webex created the subscriber, before the connector recorded it', '/wholesale/subscribers', 'after-webex-answered'],
  ])('killed %s, the order completes exactly once after a restart', async (_moment, path, point) => {
    const held = fleet.proxy!.holdNext('POST', path, point);
    const order = addOrder(fleet);
    await fleet.notify(order.token);
    await held;
    await crashAndRestart();
    await expectExactlyOnce([order]);
  });

  test('killed while Webex provisions the customer, the order completes exactly once after a restart', async () => {
    const order = addOrder(fleet);
    await fleet.notify(order.token);
    await eventually(() => expect([...fleet.webex.state.customers.values()].find((c) => c.externalId === order.companyUuid)?.status).toBe('provisioning'), PROVISIONING_SEEN_WITHIN_MS);
    await crashAndRestart();
    await expectExactlyOnce([order]);
  });

  test(`killed ${RANDOM_CRASHES} times at random moments of ${RANDOM_ORDERS} orders, every order completes exactly once`, async () => {
    const random = seededRandom(store === 'sqlite' ? 4242 : 2424);
    const orders = Array.from({ length: RANDOM_ORDERS }, () => addOrder(fleet, random() < 0.5 ? 'CALLING' : 'MEETINGS'));
    const notified = Promise.all(orders.map(async (order, i) => (await pause(i * 150), fleet.notify(order.token))));
    for (let crash = 0; crash < RANDOM_CRASHES; crash++) {
      await pause(200 + random() * 900);
      await crashAndRestart();
    }
    await notified;
    await expectExactlyOnce(orders);
  });
}

describe('crashes: embedded SQLite', () => crashRun('sqlite'));
describeWithPostgres('crashes: PostgreSQL', () => crashRun('postgres'));
