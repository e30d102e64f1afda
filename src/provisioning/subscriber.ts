import { randomInt } from 'node:crypto';
import { unlessNotFound, WebexApiError } from '../webex/errors';
import type { Location, Subscriber } from '../webex/schemas';
import type { SubscriberParameters } from '../webex/wholesale';
import { isCallingPackage } from '../webex/packageRules';
import type { AttemptContext, HandlerDeps } from './context';
import type { ReadyCustomer } from './customer';
import { refusal } from './customer';
import { ProvisioningError } from './errors';

export interface Person {
  email: string;
  firstName?: string;
  lastName?: string;
}

/** A subscriber Webex has done its part for, and where the connector placed it on Webex Calling. */
export interface PlacedSubscriber {
  subscriber: Subscriber;
  extension?: string;
  locationId?: string;
}

/** The subscriber's e-mail belongs to an existing Webex account: its owner must accept Webex's invitation to move it. */
export const awaitsConsent = (subscriber: Subscriber) => subscriber.status === 'pending_user_migration';

const checkpointKey = (email: string) => `subscriber:${email.toLowerCase()}`;

interface SubscriberCheckpoint {
  id?: string;
  extension?: string;
  locationId?: string;
}

/**
 * Provisions one subscriber with its complete package list and returns it once Webex has done its part (provisioned,
 * or waiting for the user's consent), or 'wait'. The intent is checkpointed before the create call, so an attempt
 * interrupted after Webex accepted it finds the subscriber instead of creating (or refusing) it twice.
 */
export async function ensureSubscriber(
  deps: HandlerDeps,
  ctx: AttemptContext,
  customer: ReadyCustomer,
  person: Person,
  packages: string[],
  preferred: { extension?: string; locationId?: string } = {},
): Promise<PlacedSubscriber | 'wait'> {
  const key = checkpointKey(person.email);
  const known = ctx.checkpoint.get<SubscriberCheckpoint>(key);
  const placed = (subscriber: Subscriber) => {
    const settled = settledOrWait(subscriber);
    return settled === 'wait' ? 'wait' : { subscriber: settled, extension: known?.extension, locationId: known?.locationId };
  };
  if (known?.id) return placed(await deps.webex.wholesale.getSubscriber(known.id));
  if (known) {
    const [existing] = await deps.webex.wholesale.listSubscribers({ customerId: customer.id, email: person.email });
    if (existing) {
      await ctx.checkpoint.set(key, { ...known, id: existing.id });
      return placed(existing);
    }
  }

  try {
    await deps.webex.wholesale.precheckSubscriber({ customerId: customer.id, email: person.email, packages });
  } catch (err) {
    throw alreadyExists(err, person.email) ?? refusal(err, `Webex refused subscriber ${person.email} at precheck`);
  }
  const placement: { extension?: string; locationId?: string } = packages.some(isCallingPackage) ? await callingPlacement(deps, ctx.now, customer, preferred) : {};
  const provisioningParameters: SubscriberParameters = { firstName: person.firstName, lastName: person.lastName, ...placement };

  const intent: SubscriberCheckpoint = { ...placement };
  await ctx.checkpoint.set(key, intent);
  let created: Subscriber;
  try {
    created = await deps.webex.wholesale.createSubscriber({ customerId: customer.id, email: person.email, packages, provisioningParameters });
  } catch (err) {
    throw alreadyExists(err, person.email) ?? refusal(err, `Webex refused subscriber ${person.email}`);
  }
  await ctx.checkpoint.set(key, { ...intent, id: created.id });
  await ctx.note(`Webex: subscriber ${person.email} created with ${packages.join(', ')}${placement.extension ? `, extension ${placement.extension}` : ''}`);
  const settled = settledOrWait(created);
  return settled === 'wait' ? 'wait' : { subscriber: settled, ...placement };
}

/** Webex is done with the subscriber (provisioned, or waiting for its user's consent), still working, or failed. */
export function settledOrWait(subscriber: Subscriber): Subscriber | 'wait' {
  if (subscriber.status === 'error') {
    const reason = (subscriber.errors ?? []).map((e) => e.description).filter(Boolean).join('; ') || 'no reason given';
    throw new ProvisioningError('UNKNOWN_ERROR', `Webex could not provision subscriber ${subscriber.email ?? subscriber.id}: ${reason}`);
  }
  return subscriber.status === undefined || subscriber.status === 'provisioned' || awaitsConsent(subscriber) ? subscriber : 'wait';
}

function alreadyExists(err: unknown, email: string): ProvisioningError | undefined {
  if (err instanceof WebexApiError && err.status === 409) {
    return new ProvisioningError('USER_ALREADY_EXISTS', `${email} is already a Webex user: ${err.details.webexMessage ?? 'conflict'}`, err.trackingId);
  }
  return undefined;
}

/**
 * A calling package needs a location of the customer and a free extension there. The location the connector used
 * before for this customer is used again without listing them (Webex answers 404 for one that is gone, and then the
 * list is read again); a user coming back (an account reactivated) gets its old location and extension again when
 * they are still there and free.
 */
export async function callingPlacement(
  deps: HandlerDeps,
  now: () => number,
  customer: ReadyCustomer,
  preferred: { extension?: string; locationId?: string } = {},
): Promise<{ locationId: string; extension: string }> {
  const known = preferred.locationId ?? customer.locationId;
  if (known && (!preferred.locationId || preferred.locationId === customer.locationId)) {
    const extension = await unlessNotFound(freeExtension(deps, customer.orgId, known, preferred.extension));
    if (extension) return { locationId: known, extension };
    await deps.accounts.rememberLocation(customer.id, undefined, now());
  }
  const locations = await deps.webex.calling.listLocations(customer.orgId);
  const location = locations.find((l) => l.id === preferred.locationId) ?? pickLocation(locations, customer);
  if (!location) throw new ProvisioningError('CONFIGURATION_ERROR', `Webex customer ${customer.id} has no calling location`);
  await deps.accounts.rememberLocation(customer.id, location.id, now());
  const wanted = location.id === preferred.locationId ? preferred.extension : undefined;
  return { locationId: location.id, extension: await freeExtension(deps, customer.orgId, location.id, wanted) };
}

/** The location at the customer's own address, else the first one. */
export function pickLocation(locations: Location[], customer: ReadyCustomer): Location | undefined {
  const norm = (v: string | undefined) => (v ?? '').trim().toLowerCase();
  const street = norm(customer.address?.addressLine1);
  const zip = norm(customer.address?.zipOrPostalCode);
  return locations.find((l) => street && norm(l.address?.address1) === street && norm(l.address?.postalCode) === zip) ?? locations[0];
}

const CANDIDATES_PER_CALL = 10;
const MAX_EXTENSION_CALLS = 3;

/** Asks Webex about several random four-digit extensions at once (the wanted one first), instead of one call per guess. */
async function freeExtension(deps: HandlerDeps, orgId: string, locationId: string, wanted?: string): Promise<string> {
  for (let call = 0; call < MAX_EXTENSION_CALLS; call++) {
    const candidates = new Set<string>(call === 0 && wanted ? [wanted] : []);
    while (candidates.size < CANDIDATES_PER_CALL) candidates.add(String(randomInt(1000, 10000)));
    const [usable] = await deps.webex.calling.usableExtensions(orgId, locationId, [...candidates]);
    if (usable) return usable;
  }
  throw new ProvisioningError('MAX_USERS_REACHED', `No free extension found at location ${locationId}`);
}

/**
 * Removes subscribers and then their Webex people, so the addresses can join another organisation.
 * The e-mails are checkpointed first: a retry after the subscriber is gone still frees the person.
 */
export async function removeSubscribers(deps: HandlerDeps, ctx: AttemptContext, customer: ReadyCustomer, subscribers: Subscriber[]): Promise<string[]> {
  const pending = new Set(ctx.checkpoint.get<string[]>('peopleToRemove') ?? []);
  for (const s of subscribers) if (s.email) pending.add(s.email.toLowerCase());
  await ctx.checkpoint.set('peopleToRemove', [...pending]);
  for (const s of subscribers) {
    // Already gone is what we wanted; this happens when an interrupted attempt is repeated.
    await unlessNotFound(deps.webex.wholesale.deleteSubscriber(s.id));
    await ctx.note(`Webex: subscriber ${s.email ?? s.id} removed`);
  }
  for (const email of pending) {
    const person = await deps.webex.people.findByEmail(email, customer.orgId);
    if (person) {
      await unlessNotFound(deps.webex.people.delete(person.id));
      await ctx.note(`Webex: person ${email} deleted`);
    }
  }
  return [...pending];
}
