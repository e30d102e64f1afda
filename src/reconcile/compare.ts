import type { ReadyCustomer } from '../provisioning/customer';
import { sameSet } from '../provisioning/customerPackages';
import type { Account, AccountUser } from '../store/accounts';
import { describeUnmet, unmetDependencies } from '../webex/packageRules';
import type { Customer, Subscriber } from '../webex/schemas';
import { webexErrorDescriptions } from '../webex/schemas';
import type { Drift, Remedy } from './drift';

/** A subscription the connector remembers, with its users and its add-ons. */
export interface RememberedSubscription {
  account: Account;
  users: AccountUser[];
  addons: Account[];
}

/** Everything the connector remembers of one Webex customer: the subscriptions it serves (normally one). */
export interface RememberedCustomer {
  customerId: string;
  subscriptions: RememberedSubscription[];
  /**
   * An event of one of its accounts is being worked on: Webex may already show a change the memory does not have
   * yet (a user being removed), so nothing is repaired until the next run.
   */
  eventsInFlight: boolean;
}

/** Webex's side of one customer: the customer as Webex lists it (absent: Webex has none), and its subscribers. */
export interface WebexCustomer {
  customer?: Customer;
  subscribers: Subscriber[];
}

export interface CompareSettings {
  now: number;
  /** A status Webex has not finished for longer than this is stuck. */
  stuckAfterMs: number;
  /** How long the connector keeps reminding a user to accept Webex's invitation; after it, waiting is stuck. */
  consentWatchMs: number;
}

/** Customer statuses in which Webex is still working; `deleting` counts as gone. */
const CUSTOMER_WORKING: ReadonlySet<string> = new Set(['provisioning', 'updating', 'pending_rpl_review']);
/** Subscriber statuses that are an end (for now): anything else is Webex still working. */
const SUBSCRIBER_SETTLED: ReadonlySet<string> = new Set(['provisioned', 'pending_user_migration', 'error']);

/** Webex's subscribers are worth listing only for a customer whose organisation exists. */
export function subscribersWorthListing(customer: Customer | undefined): boolean {
  return !!customer && ['provisioned', 'provisioned_with_errors', 'updating'].includes(customer.status);
}

/** Subscriptions AppDirect still bills (suspended ones too): their customer and users must be in Webex. */
const isLive = (s: RememberedSubscription) => s.account.status === 'active' || s.account.status === 'suspended';
const emailKey = (email: string | undefined) => (email ?? '').trim().toLowerCase();
const list = (packages: readonly string[]) => packages.join(', ') || 'no package';

/**
 * Compares what the connector remembers of one customer with what Webex has, and says what `--fix` would do about
 * each difference. A pure function of its inputs: the same memory and the same Webex answers give the same drift.
 */
export function compareCustomer(memory: RememberedCustomer, webex: WebexCustomer, settings: CompareSettings): Drift[] {
  const drift = differences(memory, webex, settings);
  if (!memory.eventsInFlight) return drift;
  return drift.map((d) => ({ ...d, remedy: { kind: 'later', reason: 'an event of this account is being worked on; the next run looks again' } }));
}

function differences(memory: RememberedCustomer, webex: WebexCustomer, settings: CompareSettings): Drift[] {
  const live = memory.subscriptions.filter(isLive);
  // Drift is reported under the subscription AppDirect bills; an ended one only names where leftovers came from.
  const owner = (live[0] ?? memory.subscriptions.at(-1))!.account;
  const about = (account: Account) => ({ customerId: memory.customerId, accountId: account.accountId, company: account.companyName });
  const { customer } = webex;

  if (!customer || customer.status === 'deleting') {
    return live.map((s) => ({
      ...about(s.account),
      kind: 'customer_missing',
      status: customer?.status,
      detail: `Webex ${customer ? 'is deleting' : 'has no'} customer ${memory.customerId}, which serves ${billed(s)}`,
      remedy: operator('a deleted customer is never re-created by the connector: end the subscription in AppDirect, or have the company order again'),
    }));
  }
  if (!live.length) return unknownSubscribers(webex.subscribers, new Map(), about(owner));
  // Webex gives no time for a customer's status: the connector's own last change to the account stands in for it.
  const since = Math.max(...live.map((s) => s.account.updatedAt));
  if (customer.status === 'error') {
    return [{ ...about(owner), kind: 'stuck', status: 'error', detail: `Webex ended customer ${customer.id} in error: ${webexErrorDescriptions(customer.errors) ?? 'no reason given'}`, remedy: operator('ask Cisco support, quoting the customer ID') }];
  }
  const drift: Drift[] = [];
  if (CUSTOMER_WORKING.has(customer.status) && settings.now - since > settings.stuckAfterMs) {
    drift.push({ ...about(owner), kind: 'stuck', status: customer.status, detail: `Webex customer ${customer.id} has been ${customer.status} since at least ${iso(since)}`, remedy: operator('ask Cisco support, quoting the customer ID') });
  }
  if (!subscribersWorthListing(customer)) return drift;

  const ready: ReadyCustomer = { id: customer.id, orgId: customer.orgId ?? '', address: customer.address };
  const busy = customer.status === 'updating' ? 'Webex is updating the customer; the next run repairs it' : undefined;
  const expected = new Map(live.flatMap((s) => s.users.filter((u) => u.status !== 'suspended').map((u) => [emailKey(u.email), { s, user: u }] as const)));
  const customerFix = customerPackages(customer, live, [...expected.values()].map((e) => e.user), about(owner), busy);
  if (customerFix) drift.push(customerFix);
  const waitFor = busy ?? (customerFix ? 'the customer needs its packages first; the next run repairs it' : undefined);

  const subscribers = new Map(webex.subscribers.map((s) => [emailKey(s.email), s]));
  for (const [email, { s, user }] of expected) {
    const found = subscribers.get(email);
    const where = about(s.account);
    if (!found) drift.push(missingSubscriber(where, user, ready, waitFor));
    else drift.push(...subscriberDrift(where, user, found, ready, settings, waitFor));
  }
  const suspended = new Map(live.flatMap((s) => s.users.filter((u) => u.status === 'suspended').map((u) => [emailKey(u.email), u] as const)));
  const unknown = webex.subscribers.filter((s) => !expected.has(emailKey(s.email)));
  return [...drift, ...unknownSubscribers(unknown, suspended, about(owner))];
}

function missingSubscriber(where: Pick<Drift, 'accountId' | 'company' | 'customerId'>, user: AccountUser, customer: ReadyCustomer, waitFor: string | undefined): Drift {
  const remedy: Remedy =
    user.status !== 'active'
      ? operator(`${user.email} had not accepted Webex's invitation to move their account yet: assign the user again in AppDirect`)
      : waitFor
        ? { kind: 'later', reason: waitFor }
        : { kind: 'repair', repair: { kind: 'create_subscriber', customer, user } };
  return { ...where, kind: 'subscriber_missing', email: user.email, expected: user.packages, detail: `Webex has no subscriber ${user.email}, a user AppDirect bills with ${list(user.packages)}`, remedy };
}

function subscriberDrift(where: Pick<Drift, 'accountId' | 'company' | 'customerId'>, user: AccountUser, subscriber: Subscriber, customer: ReadyCustomer, settings: CompareSettings, waitFor: string | undefined): Drift[] {
  const status = subscriber.status ?? 'provisioned';
  const about = { ...where, email: user.email, subscriberId: subscriber.id, status };
  const changedAt = statusChangedAt(subscriber) ?? user.updatedAt;
  if (status === 'error') {
    const reason = webexErrorDescriptions(subscriber.errors) ?? 'no reason given';
    return [{ ...about, kind: 'stuck', detail: `Webex ended subscriber ${user.email} in error: ${reason}`, remedy: operator('unassign the user in AppDirect and assign them again, or ask Cisco support quoting the subscriber ID') }];
  }
  if (!SUBSCRIBER_SETTLED.has(status)) {
    if (settings.now - changedAt <= settings.stuckAfterMs) return [];
    return [{ ...about, kind: 'stuck', detail: `Webex subscriber ${user.email} has been ${status} since ${iso(changedAt)}`, remedy: operator('ask Cisco support, quoting the subscriber ID') }];
  }
  if (status === 'pending_user_migration') {
    const patience = Math.max(settings.consentWatchMs, settings.stuckAfterMs);
    if (user.status !== 'pending_consent' || settings.now - changedAt <= patience) return [];
    return [{
      ...about,
      kind: 'stuck',
      detail: `${user.email} has not accepted Webex's invitation to move their account since ${iso(changedAt)}, and the connector has stopped reminding them`,
      remedy: operator(`send the invitation again (npm run events -- resend-invitation ${user.email}) or contact the user`),
    }];
  }
  const actual = subscriber.packages ?? [];
  if (user.status !== 'active' || sameSet(actual, user.packages)) return [];
  const remedy: Remedy = waitFor ? { kind: 'later', reason: waitFor } : { kind: 'repair', repair: { kind: 'set_subscriber_packages', customer, user, subscriberId: subscriber.id, current: actual } };
  return [{ ...about, kind: 'wrong_packages', expected: user.packages, actual, detail: `Webex subscriber ${user.email} has ${list(actual)}; AppDirect bills ${list(user.packages)}`, remedy }];
}

/** Every package a user or an add-on of the customer's subscriptions holds must be on the customer. */
function customerPackages(customer: Customer, live: RememberedSubscription[], users: AccountUser[], where: Pick<Drift, 'accountId' | 'company' | 'customerId'>, busy: string | undefined): Drift | undefined {
  const current = customer.packages ?? [];
  const needed = new Set([...users.flatMap((u) => u.packages), ...live.flatMap((s) => s.addons.filter((a) => a.status === 'active' && a.package).map((a) => a.package!))]);
  const missing = [...needed].filter((p) => !current.includes(p));
  if (!missing.length) return undefined;
  const packages = [...current, ...missing];
  const unmet = unmetDependencies(packages);
  const remedy: Remedy = unmet.length
    ? operator(`the customer cannot have ${list(packages)}: ${unmet.map(describeUnmet).join('; ')}`)
    : busy
      ? { kind: 'later', reason: busy }
      : { kind: 'repair', repair: { kind: 'set_customer_packages', customerId: customer.id, current, packages } };
  return { ...where, kind: 'wrong_packages', expected: packages, actual: current, detail: `Webex customer ${customer.id} lacks ${list(missing)}, which its users or add-ons need`, remedy };
}

function unknownSubscribers(subscribers: Subscriber[], suspended: Map<string, AccountUser>, where: Pick<Drift, 'accountId' | 'company' | 'customerId'>): Drift[] {
  return subscribers.map((s) => {
    const held = suspended.get(emailKey(s.email));
    const detail = held
      ? `Webex has subscriber ${s.email} (${list(s.packages ?? [])}), whom the connector removed while the account is suspended`
      : `Webex has subscriber ${s.email ?? s.id} (${list(s.packages ?? [])}), whom AppDirect never ordered`;
    return {
      ...where,
      kind: 'subscriber_unknown',
      email: s.email,
      subscriberId: s.id,
      actual: s.packages ?? [],
      detail,
      remedy: operator('the connector removes no user it was not asked to: assign the user in AppDirect (then it is billed), or remove it in Partner Hub'),
    };
  });
}

const operator = (reason: string): Remedy => ({ kind: 'operator', reason });
const iso = (ms: number) => new Date(ms).toISOString();

function billed(s: RememberedSubscription): string {
  const users = s.users.filter((u) => u.status !== 'suspended').length;
  return `${s.account.status} subscription ${s.account.accountId} (${users} user(s))`;
}

function statusChangedAt(subscriber: Subscriber): number | undefined {
  const at = subscriber.lastStatusChange === undefined ? NaN : Date.parse(subscriber.lastStatusChange);
  return Number.isNaN(at) ? undefined : at;
}
