import { OrderItem, parseEvent, SEAT_UNIT } from '../appdirect/eventSchema';
import type { Account, AccountUser } from '../store/accounts';
import { ProvisioningError } from './errors';

/** The users a multi-user subscription may have: its order's USER item; undefined for a single-user product. */
export function seatsOf(order: { items: OrderItem[] }): number | undefined {
  const item = order.items.find((i) => i.unit?.toUpperCase() === SEAT_UNIT);
  return item?.quantity === undefined ? undefined : Number(item.quantity);
}

/**
 * An assignment takes a seat; every user the subscription has (active, invited or suspended) holds one, and so does
 * each user of an assignment notified earlier and still being worked on (`earlier`: those events as AppDirect sent
 * them). Two assignments worked at once for the last seat therefore give it to the one notified first, never to
 * both (one not yet read from AppDirect is not seen: it then finds the seat taken).
 */
export function assertSeatFree(account: Pick<Account, 'accountId' | 'seats'>, users: AccountUser[], email: string, earlier: unknown[] = []): void {
  if (account.seats === undefined) return;
  const assigned = new Set(users.map((u) => u.email.toLowerCase()));
  const underWay = new Set(assigneesOf(earlier).filter((other) => !assigned.has(other)));
  const holders = new Set([...assigned, ...underWay]);
  holders.delete(email.toLowerCase());
  if (holders.size >= account.seats) {
    const state = underWay.size ? `all assigned or being assigned (${underWay.size} assignment(s) notified earlier still in progress)` : 'all assigned';
    throw new ProvisioningError('MAX_USERS_REACHED', `Subscription ${account.accountId} has ${account.seats} seat(s), ${state}; ${email} cannot be added`);
  }
}

/** The e-mail addresses that assignment events (as AppDirect sent them) give seats to. */
function assigneesOf(events: unknown[]): string[] {
  return events.flatMap((raw) => {
    const parsed = parseEvent(raw);
    if (!parsed.ok || parsed.kind !== 'known' || parsed.event.type !== 'USER_ASSIGNMENT') return [];
    return [parsed.event.payload.user.email.toLowerCase()];
  });
}

/** A change may not leave fewer seats than users: those over the new count are to be unassigned first. */
export function assertSeatsCover(account: Pick<Account, 'accountId'>, users: AccountUser[], seats: number | undefined): void {
  if (seats === undefined || users.length <= seats) return;
  const over = users.length - seats;
  throw new ProvisioningError(
    'INVALID_OPERATION',
    `Subscription ${account.accountId} has ${users.length} users assigned but the change leaves ${seats} seat(s): unassign ${over} user(s) first`,
  );
}
