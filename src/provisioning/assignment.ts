import type { AssignmentEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { accountCustomer } from './customer';
import { ProvisioningError } from './errors';
import { assertSeatFree } from './seats';
import { ensureSubscriber, removeSubscribers } from './subscriber';
import { activeAddons, rememberedAccount, subscriberPackages, usableSubscription } from './subscription';
import { rememberProvisioned, userProvisioned } from './users';

/**
 * USER_ASSIGNMENT: another user of the subscription takes a seat and gets the subscription's current packages
 * (its edition's and its subscriber-level add-ons'), as the connector remembers them.
 */
export async function handleAssignment(deps: HandlerDeps, ctx: HandlerContext<AssignmentEvent>): Promise<HandlerOutcome> {
  const { account: named, user } = ctx.event.payload;
  const account = usableSubscription(await rememberedAccount(deps, ctx, named.accountIdentifier), `assigning ${user.email}`);
  if (account.status === 'suspended') {
    throw new ProvisioningError('INVALID_OPERATION', `Subscription ${account.accountId} is suspended: users can be assigned once it is reactivated`);
  }
  // Earlier assignments are looked up only where seats are counted.
  const earlier = account.seats === undefined ? [] : await ctx.earlierUnfinished('USER_ASSIGNMENT');
  assertSeatFree(account, await deps.accounts.users(account.accountId), user.email, earlier);
  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return wait('Webex is still working on the customer');
  const packages = subscriberPackages(account.package!, await activeAddons(deps, account.accountId));
  const person = { email: user.email, appDirectUuid: user.uuid, firstName: user.firstName, lastName: user.lastName };
  const placed = await ensureSubscriber(deps, ctx, customer, person, packages);
  if (placed === 'wait') return wait('Webex is provisioning the subscriber');
  const status = await rememberProvisioned(deps, ctx, account.accountId, person, packages, placed);
  return userProvisioned(ctx, account.accountId, user.email, status, placed, packages);
}

/** USER_UNASSIGNMENT: the user's subscriber and person are removed, and the seat is free again. */
export async function handleUnassignment(deps: HandlerDeps, ctx: HandlerContext<AssignmentEvent>): Promise<HandlerOutcome> {
  const { account: named, user } = ctx.event.payload;
  const email = user.email;
  const account = await rememberedAccount(deps, ctx, named.accountIdentifier);
  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return wait('Webex is still working on the customer');
  const subscribers = await deps.webex.wholesale.listSubscribers({ customerId: customer.id, email });
  const remembered = await deps.accounts.user(account.accountId, email);
  // A repeat after an interrupted attempt finds nothing left to remove, and that is success.
  const alreadyStarted = (ctx.checkpoint.get<string[]>('peopleToRemove') ?? []).length > 0;
  if (!subscribers.length && !alreadyStarted && !remembered) throw new ProvisioningError('USER_NOT_FOUND', `${email} is not a subscriber of account ${account.accountId}`);
  await removeSubscribers(deps, ctx, customer, subscribers);
  await deps.accounts.forgetUser(account.accountId, email);
  return done(success({ accountIdentifier: account.accountId, message: `${email} removed from Webex` }));
}
