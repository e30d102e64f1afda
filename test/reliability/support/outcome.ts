import type { Store } from '../../../src/store';
import type { Fleet } from './fleet';

/** What one event must lead to: its own result, and one Webex subscriber (plus a customer for an order). */
export interface Expected {
  token: string;
  companyUuid: string;
  email: string;
  createsCustomer: boolean;
}

export interface Outcome {
  events: number;
  /** Events AppDirect never got a result for. */
  lost: string[];
  /** Events with two different results, or Webex customers/subscribers created more than once. */
  duplicated: string[];
  /**
   * Events whose one result reached AppDirect again, unchanged: a crash after AppDirect took it and before the
   * journal recorded that. Delivery is at least once (the alternative could leave a subscription pending for
   * ever). Counted and reported, but it is not a second outcome.
   */
  redelivered: string[];
  /** Events whose result is not the success expected. */
  wrong: string[];
  /** Events the journal still has something to do for (a result it would still send, say). */
  unsettled: string[];
}

/**
 * Reads what AppDirect and Webex saw. An event's result is the first answer to its notification when
 * that was a 200; after a 202 it is the one result POSTed later. A different second result is a duplicate.
 */
export async function tally(fleet: Fleet, expected: Expected[], store: Store): Promise<Outcome> {
  const outcome: Outcome = { events: expected.length, lost: [], duplicated: [], redelivered: [], wrong: [], unsettled: [] };
  const customers = [...fleet.webex.state.customers.values()];
  const subscribers = [...fleet.webex.state.subscribers.values()];
  const created = (path: string, matches: (body: Record<string, unknown>) => boolean) =>
    fleet.webex.calls.filter((c) => c.method === 'POST' && c.path === path && c.status >= 200 && c.status < 300 && matches((c.requestBody ?? {}) as Record<string, unknown>)).length;

  for (const event of expected) {
    const [first] = fleet.answers.get(event.token) ?? [];
    const posted = fleet.appDirect.results.filter((r) => r.token === event.token).map((r) => r.body);
    const results = first?.status === 200 ? [first.body, ...posted] : posted;
    if (results.length === 0) outcome.lost.push(event.token);
    const distinct = new Set(results.map((r) => JSON.stringify(r))).size;
    if (distinct > 1) outcome.duplicated.push(`${event.token}: ${distinct} different results`);
    else if (results.length > 1) outcome.redelivered.push(`${event.token}: the same result ${results.length} times`);
    if (results.length && !isSuccessFor(results[0], event.companyUuid)) outcome.wrong.push(`${event.token}: ${JSON.stringify(results[0])}`);

    const twice = [
      event.createsCustomer && customers.filter((c) => c.externalId === event.companyUuid).length !== 1 && 'customer',
      event.createsCustomer && created('/wholesale/customers', (b) => b.externalId === event.companyUuid) !== 1 && 'POST customer',
      subscribers.filter((s) => s.email === event.email).length !== 1 && 'subscriber',
      created('/wholesale/subscribers', (b) => b.email === event.email) !== 1 && 'POST subscriber',
    ].filter(Boolean);
    if (twice.length) outcome.duplicated.push(`${event.token}: not exactly one ${twice.join(', ')}`);

    // A record still waiting for a promise (ack null) would be adopted and POSTed later: a result twice.
    const record = await store.journal.get(event.token);
    if (!record?.result || record.ack === null || (record.ack === 'async' && record.delivery !== 'delivered')) {
      outcome.unsettled.push(`${event.token}: ${JSON.stringify({ result: record?.result !== undefined, ack: record?.ack, delivery: record?.delivery })}`);
    }
  }
  return outcome;
}

function isSuccessFor(result: unknown, companyUuid: string): boolean {
  const r = result as { success?: unknown; accountIdentifier?: unknown };
  return r.success === true && r.accountIdentifier === companyUuid;
}

// Long enough for a late second delivery (from a retry or another instance) to show up before counting.
const QUIET_PERIOD_MS = 1000;

/** After every event has its result: lets the fleet run a little longer, then counts. */
export async function settleAndTally(fleet: Fleet, expected: Expected[]): Promise<Outcome> {
  await new Promise((r) => setTimeout(r, QUIET_PERIOD_MS));
  const store = await fleet.openStore();
  try {
    return await tally(fleet, expected, store);
  } finally {
    await store.close();
  }
}

/** Faults the simulators injected: Webex answers and dropped connections, AppDirect answers. */
export function injectedFaults(fleet: Fleet): number {
  return fleet.webex.calls.filter((c) => c.injectedFault).length + fleet.appDirect.timeline.filter((t) => t.detail.includes('injected')).length;
}

/** One line per run (a fleet and the events it was given), the figures docs/reliability.md quotes. */
export function report(name: string, fleet: Fleet, instances: number, outcomes: Outcome[]): void {
  const sum = (count: (o: Outcome) => number) => outcomes.reduce((total, o) => total + count(o), 0);
  console.log(
    `reliability ${name}: ${sum((o) => o.events)} events, ${instances} instance(s), ${injectedFaults(fleet)} faults injected, ${fleet.crashes} crashes` +
      ` → lost ${sum((o) => o.lost.length)}, duplicated ${sum((o) => o.duplicated.length)}, same result re-sent after a crash ${sum((o) => o.redelivered.length)}`,
  );
}
