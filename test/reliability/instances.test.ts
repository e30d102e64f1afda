import { describeWithPostgres } from '../store/testDatabase';
import { workJobId } from '../../src/jobs/eventJobs';
import { addOrder, allResolved } from './support/events';
import { Fleet, startFleet } from './support/fleet';
import { report, settleAndTally } from './support/outcome';

const ORDERS = 16;
const LEASE_MS = 2000;

/** The JobRunner's owner ID is host:pid:random. */
const pidOf = (owner: string | undefined) => /\/(\d+)-[^/]+$/.exec(owner ?? '')?.[1];

describeWithPostgres('two instances on PostgreSQL, one killed in the middle of its work', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet({ store: 'postgres', instances: 2, proxy: true, customerProvisioningMs: 800, subscriberProvisioningMs: 150, env: { JOB_LEASE_MS: String(LEASE_MS) } });
    await Promise.all([fleet.start(0), fleet.start(1)]);
  });
  afterAll(() => fleet.close());

  test('the survivor takes the dead one’s claim over when its lease expires, and every order completes exactly once', async () => {
    // The victim will have just had Webex create a subscriber without recording it: the hardest moment to take over.
    const held = fleet.proxy!.holdNext('POST', '/wholesale/subscribers', 'after-webex-answered');
    const orders = Array.from({ length: ORDERS }, () => addOrder(fleet));
    const notified = Promise.all(orders.map((order) => fleet.notify(order.token)));
    const { email } = (await held) as { email: string };

    const orphan = orders.find((o) => o.email === email)!;
    const store = await fleet.openStore();
    const work = await store.queue.get(workJobId(orphan.token)).finally(() => store.close());
    const victim = fleet.instances.findIndex((proc) => String(proc?.child.pid) === pidOf(work?.leaseOwner));
    expect(victim).toBeGreaterThanOrEqual(0);
    const survivor = fleet.instances[1 - victim]!;
    await fleet.kill(victim);
    await notified;
    await allResolved(fleet, orders, 60_000);

    expect(survivor.lines.some((line) => line.includes(orphan.token) && line.includes('event resolved'))).toBe(true);
    const outcome = await settleAndTally(fleet, orders);
    report('one of two instances SIGKILLed, postgres', fleet, 2, [outcome]);
    expect(outcome).toMatchObject({ lost: [], duplicated: [], wrong: [], unsettled: [] });
    // Room for the wait above and the settling.
  }, 120_000);
});
