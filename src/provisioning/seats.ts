import { OrderItem, SEAT_UNIT } from '../appdirect/eventSchema';
import type { Account, AccountUser } from '../store/accounts';
import { ProvisioningError } from './errors';

/** The users a multi-user subscription may have: its order's USER item; undefined for a single-user product. */
export function seatsOf(order: { items: OrderItem[] }): number | undefined {
  const item = order.items.find((i) => i.unit?.toUpperCase() === SEAT_UNIT);
  return item?.quantity === undefined ? undefined : Number(item.quantity);
}

/** An assignment takes a seat; every user the subscription has (active, invited or suspended) holds one. */
export function assertSeatFree(account: Pick<Account, 'accountId' | 'seats'>, users: AccountUser[], email: string): void {
  if (account.seats === undefined) return;
  const others = users.filter((u) => u.email !== email.toLowerCase());
  if (others.length >= account.seats) {
    throw new ProvisioningError('MAX_USERS_REACHED', `Subscription ${account.accountId} has ${account.seats} seat(s), all assigned; ${email} cannot be added`);
  }
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
