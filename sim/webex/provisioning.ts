import type { SimContext } from './context';
import { newWebexId } from './ids';
import type { CustomerOutcome, SimCustomer, SimSubscriber, WebexSimState } from './state';

const SETTLED_OK: ReadonlySet<string> = new Set(['provisioned', 'provisioned_with_errors']);

export function isCustomerBusy(customer: SimCustomer): boolean {
  return customer.status === 'provisioning' || customer.status === 'updating';
}

/** A customer whose org exists in Webex: subscribers can be added and its orgId is shown. */
export function isCustomerProvisioned(customer: SimCustomer): boolean {
  return SETTLED_OK.has(customer.status);
}

/** The org exists in Webex (also while an update runs), so the customer's `orgId` is shown. */
export function isOrgVisible(customer: SimCustomer): boolean {
  return isCustomerProvisioned(customer) || customer.status === 'updating';
}

/** Provisioning gives the org one calling location, named after the calling parameters when given. */
function ensureCallingLocation(state: WebexSimState, customer: SimCustomer): void {
  if ([...state.locations.values()].some((l) => l.orgId === customer.orgId)) return;
  const address = customer.callingLocation?.address ?? customer.address;
  const id = newWebexId('LOCATION');
  state.locations.set(id, {
    id,
    orgId: customer.orgId,
    name: customer.callingLocation?.name ?? customer.customerInfo?.name ?? 'Main Office',
    address: {
      address1: address.addressLine1,
      ...(address.addressLine2 !== undefined ? { address2: address.addressLine2 } : {}),
      city: address.city,
      ...(address.stateOrProvince !== undefined ? { state: address.stateOrProvince } : {}),
      ...(address.zipOrPostalCode !== undefined ? { postalCode: address.zipOrPostalCode } : {}),
      country: address.country,
    },
  });
}

function applyOutcome(state: WebexSimState, customer: SimCustomer, outcome: CustomerOutcome, detail?: string): void {
  customer.status = outcome;
  customer.outcomeDetail = detail;
  if (isCustomerProvisioned(customer)) ensureCallingLocation(state, customer);
}

function finishCustomerPhase(state: WebexSimState, customer: SimCustomer): void {
  if (customer.status === 'updating') return applyOutcome(state, customer, 'provisioned');
  const planned = state.customerOutcomes.get(customer.externalId);
  applyOutcome(state, customer, planned?.outcome ?? 'provisioned', planned?.detail);
}

/**
 * Moves every customer and subscriber whose waiting time is over to its next status. Called at the start
 * of each request instead of using timers, so the sim never keeps a process alive and reads are exact.
 */
export function settleProvisioning(ctx: SimContext): void {
  const now = ctx.now();
  for (const customer of ctx.state.customers.values()) {
    if (isCustomerBusy(customer) && now >= customer.busyUntil) finishCustomerPhase(ctx.state, customer);
  }
  for (const subscriber of ctx.state.subscribers.values()) {
    if (subscriber.status === 'provisioning' && now >= subscriber.busyUntil) finishSubscriber(ctx.state, subscriber, subscriber.busyUntil);
  }
}

/**
 * A subscriber whose e-mail belongs to an existing Webex account waits for its owner's consent (Webex sends the
 * first invitation itself); any other is provisioned, its person joining the customer's org.
 */
export function finishSubscriber(state: WebexSimState, subscriber: SimSubscriber, at: number): void {
  subscriber.lastStatusChange = at;
  const email = subscriber.email.toLowerCase();
  if (state.existingAccounts.has(email)) {
    subscriber.status = 'pending_user_migration';
    state.invitations.set(email, [...(state.invitations.get(email) ?? []), at]);
    return;
  }
  subscriber.status = 'provisioned';
  if (subscriber.pendingPerson) {
    state.people.set(subscriber.personId, subscriber.pendingPerson);
    subscriber.pendingPerson = undefined;
  }
}

/** The owner of an existing Webex account accepts the move: the account joins the customer's org. */
export function acceptMove(ctx: SimContext, email: string): void {
  const wanted = email.toLowerCase();
  const subscriber = [...ctx.state.subscribers.values()].find((s) => s.email.toLowerCase() === wanted && s.status === 'pending_user_migration');
  if (!subscriber) throw new Error(`no subscriber ${email} is waiting for its owner's consent`);
  ctx.state.existingAccounts.delete(wanted);
  finishSubscriber(ctx.state, subscriber, ctx.now());
}

/**
 * Decides how provisioning ends for a customer externalId. Applies to a customer created later, and at
 * once to an existing customer that has already finished provisioning.
 */
export function planCustomerOutcome(ctx: SimContext, externalId: string, outcome: CustomerOutcome, detail?: string): void {
  ctx.state.customerOutcomes.set(externalId, { outcome, detail });
  for (const customer of ctx.state.customers.values()) {
    if (customer.externalId === externalId && !isCustomerBusy(customer)) applyOutcome(ctx.state, customer, outcome, detail);
  }
}
