import { compareCustomer, CompareSettings, RememberedCustomer, RememberedSubscription, subscribersWorthListing } from '../../src/reconcile/compare';
import type { Account, AccountUser } from '../../src/store/accounts';
import type { Customer, Subscriber } from '../../src/webex/schemas';

const NOW = 1_800_000_000_000;
const HOUR = 3600_000;
const settings: CompareSettings = { now: NOW, stuckAfterMs: HOUR, consentWatchMs: 4 * 24 * HOUR };

const account = (over: Partial<Account> = {}): Account => ({ accountId: 'acc-1', companyName: 'Acme', customerId: 'cust-1', status: 'active', addedToCustomer: false, createdAt: NOW - HOUR, updatedAt: NOW - HOUR, ...over });
const user = (email: string, over: Partial<AccountUser> = {}): AccountUser => ({ accountId: 'acc-1', email, packages: ['webex_calling'], status: 'active', createdAt: NOW - HOUR, updatedAt: NOW - HOUR, extension: '1234', locationId: 'loc-1', ...over });
const customer = (over: Partial<Customer> = {}): Customer => ({ id: 'cust-1', orgId: 'org-1', status: 'provisioned', packages: ['webex_calling', 'webex_meetings'], ...over });
const subscriber = (email: string, over: Partial<Subscriber> = {}): Subscriber => ({ id: `sub-${email}`, email, customerId: 'cust-1', packages: ['webex_calling'], status: 'provisioned', ...over });

function remembered(users: AccountUser[], over: Partial<RememberedSubscription> = {}): RememberedCustomer {
  return { customerId: 'cust-1', subscriptions: [{ account: account(), users, addons: [], ...over }], eventsInFlight: false };
}

const kinds = (drift: ReturnType<typeof compareCustomer>) => drift.map((d) => [d.kind, d.email ?? 'customer', d.remedy.kind]);

describe('comparing one customer the connector remembers with Webex', () => {
  test('agreement is no drift; package order does not matter', () => {
    const users = [user('a@x.test', { packages: ['webex_calling', 'attendant_console'] })];
    const webex = { customer: customer({ packages: ['attendant_console', 'webex_calling'] }), subscribers: [subscriber('A@x.test', { packages: ['attendant_console', 'webex_calling'] })] };
    expect(compareCustomer(remembered(users), webex, settings)).toEqual([]);
  });

  test('a customer Webex no longer has (or is deleting) is customer_missing, for the operator, and nothing else is reported', () => {
    for (const webex of [{ subscribers: [] }, { customer: customer({ status: 'deleting' }), subscribers: [subscriber('a@x.test')] }]) {
      const drift = compareCustomer(remembered([user('a@x.test')]), webex, settings);
      expect(kinds(drift)).toEqual([['customer_missing', 'customer', 'operator']]);
    }
  });

  test('a missing subscriber is re-created with the remembered user; one still to accept the move is the operator\'s', () => {
    const users = [user('a@x.test'), user('b@x.test', { status: 'pending_consent' })];
    const drift = compareCustomer(remembered(users), { customer: customer(), subscribers: [] }, settings);
    expect(kinds(drift)).toEqual([
      ['subscriber_missing', 'a@x.test', 'repair'],
      ['subscriber_missing', 'b@x.test', 'operator'],
    ]);
    expect(drift[0].remedy).toEqual({ kind: 'repair', repair: { kind: 'create_subscriber', customer: { id: 'cust-1', orgId: 'org-1' }, user: users[0] } });
  });

  test('wrong packages are restored from the memory', () => {
    const drift = compareCustomer(remembered([user('a@x.test')]), { customer: customer(), subscribers: [subscriber('a@x.test', { packages: ['webex_meetings'] })] }, settings);
    expect(drift).toEqual([expect.objectContaining({ kind: 'wrong_packages', expected: ['webex_calling'], actual: ['webex_meetings'], remedy: expect.objectContaining({ kind: 'repair' }) })]);
  });

  test('a package the customer lacks is added first; its subscribers wait for the next run', () => {
    const addon = account({ accountId: 'addon-1', parentAccountId: 'acc-1', package: 'cisco_calling_plan', packageLevel: 'customer' });
    const memory = remembered([user('a@x.test', { packages: ['webex_suite'] })], { addons: [addon] });
    const drift = compareCustomer(memory, { customer: customer(), subscribers: [] }, settings);
    expect(kinds(drift)).toEqual([
      ['wrong_packages', 'customer', 'repair'],
      ['subscriber_missing', 'a@x.test', 'later'],
    ]);
    expect(drift[0]).toMatchObject({ actual: ['webex_calling', 'webex_meetings'], expected: ['webex_calling', 'webex_meetings', 'webex_suite', 'cisco_calling_plan'] });
  });

  test('a customer package list Webex would refuse is the operator\'s', () => {
    const addon = account({ accountId: 'addon-1', parentAccountId: 'acc-1', package: 'cisco_calling_plan', packageLevel: 'customer' });
    const drift = compareCustomer(remembered([], { addons: [addon] }), { customer: customer({ packages: ['webex_meetings'] }), subscribers: [] }, settings);
    expect(drift).toEqual([expect.objectContaining({ kind: 'wrong_packages', remedy: { kind: 'operator', reason: expect.stringContaining('cisco_calling_plan is dependent on one of') } })]);
  });

  test('while Webex updates the customer, repairs wait for the next run', () => {
    const drift = compareCustomer(remembered([user('a@x.test')]), { customer: customer({ status: 'updating' }), subscribers: [subscriber('a@x.test', { packages: ['webex_meetings'] })] }, settings);
    expect(kinds(drift)).toEqual([['wrong_packages', 'a@x.test', 'later']]);
  });

  test('subscribers AppDirect does not know, or that the connector removed while the account is suspended, are the operator\'s', () => {
    const memory = remembered([user('a@x.test'), user('s@x.test', { status: 'suspended' })], { account: account({ status: 'suspended' }) });
    const drift = compareCustomer(memory, { customer: customer(), subscribers: [subscriber('a@x.test'), subscriber('s@x.test'), subscriber('new@x.test')] }, settings);
    expect(kinds(drift)).toEqual([
      ['subscriber_unknown', 's@x.test', 'operator'],
      ['subscriber_unknown', 'new@x.test', 'operator'],
    ]);
    expect(drift[0].detail).toContain('removed while the account is suspended');
  });

  test('subscribers left behind in the customer of an ended subscription are unknown; its missing customer is not drift', () => {
    const ended = remembered([], { account: account({ status: 'cancelled' }) });
    expect(kinds(compareCustomer(ended, { customer: customer(), subscribers: [subscriber('left@x.test')] }, settings))).toEqual([['subscriber_unknown', 'left@x.test', 'operator']]);
    expect(compareCustomer(ended, { subscribers: [] }, settings)).toEqual([]);
  });

  test('stuck: a customer in error, or still working long after the connector last changed it; a subscriber provisioning too long', () => {
    const users = [user('a@x.test')];
    expect(kinds(compareCustomer(remembered(users), { customer: customer({ status: 'error', errors: [{ description: 'no location' }] }), subscribers: [] }, settings))).toEqual([['stuck', 'customer', 'operator']]);
    const working = customer({ status: 'provisioning' });
    expect(compareCustomer(remembered(users, { account: account({ updatedAt: NOW - HOUR / 2 }) }), { customer: working, subscribers: [] }, settings)).toEqual([]);
    expect(kinds(compareCustomer(remembered(users, { account: account({ updatedAt: NOW - 2 * HOUR }) }), { customer: working, subscribers: [] }, settings))).toEqual([['stuck', 'customer', 'operator']]);

    const since = (ms: number) => new Date(NOW - ms).toISOString();
    const provisioning = (ms: number) => ({ customer: customer(), subscribers: [subscriber('a@x.test', { status: 'provisioning', lastStatusChange: since(ms) })] });
    expect(compareCustomer(remembered(users), provisioning(HOUR / 2), settings)).toEqual([]);
    expect(kinds(compareCustomer(remembered(users), provisioning(2 * HOUR), settings))).toEqual([['stuck', 'a@x.test', 'operator']]);
    expect(kinds(compareCustomer(remembered(users), { customer: customer(), subscribers: [subscriber('a@x.test', { status: 'error' })] }, settings))).toEqual([['stuck', 'a@x.test', 'operator']]);
  });

  test('a user waiting to accept Webex\'s invitation is stuck only once the connector has stopped reminding them', () => {
    const waiting = [user('a@x.test', { status: 'pending_consent' })];
    const pending = (ms: number) => ({ customer: customer(), subscribers: [subscriber('a@x.test', { status: 'pending_user_migration', packages: [], lastStatusChange: new Date(NOW - ms).toISOString() })] });
    expect(compareCustomer(remembered(waiting), pending(3 * 24 * HOUR), settings)).toEqual([]);
    const drift = compareCustomer(remembered(waiting), pending(5 * 24 * HOUR), settings);
    expect(drift).toEqual([expect.objectContaining({ kind: 'stuck', remedy: { kind: 'operator', reason: expect.stringContaining('resend-invitation a@x.test') } })]);
  });

  test('while an event of the account is being worked on, nothing is repaired: Webex may be ahead of the memory', () => {
    const memory = { ...remembered([user('a@x.test')]), eventsInFlight: true };
    const drift = compareCustomer(memory, { customer: customer(), subscribers: [subscriber('new@x.test')] }, settings);
    expect(kinds(drift)).toEqual([
      ['subscriber_missing', 'a@x.test', 'later'],
      ['subscriber_unknown', 'new@x.test', 'later'],
    ]);
  });

  test('subscribers are worth listing only for a customer whose organisation exists', () => {
    expect([undefined, 'provisioning', 'pending_rpl_review', 'error', 'deleting', 'provisioned', 'provisioned_with_errors', 'updating'].map((status) => subscribersWorthListing(status ? customer({ status }) : undefined))).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
  });
});
