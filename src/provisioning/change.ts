import type { ChangeEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import { describeUnmet, unmetDependencies } from '../webex/packageRules';
import { handleAddonChange } from './addons';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { accountCustomer } from './customer';
import { ProvisioningError } from './errors';
import { packageForEdition } from './packages';
import { assertSeatsCover, seatsOf } from './seats';
import { activeAddons, convergeSubscribers, rememberedAccount, subscriberPackages, usableSubscription } from './subscription';

/**
 * SUBSCRIPTION_CHANGE: the whole subscription moves to the new edition, whoever made the change: every subscriber
 * gets the new package (with its add-ons' packages), with a location and an extension when it gains Webex Calling.
 * The seat count follows the change when it states one. A change of an add-on goes to the add-on's handler.
 */
export async function handleChange(deps: HandlerDeps, ctx: HandlerContext<ChangeEvent>): Promise<HandlerOutcome> {
  const { account: named, order } = ctx.event.payload;
  const known = await rememberedAccount(deps, ctx, named.accountIdentifier);
  if (known.parentAccountId) return handleAddonChange(deps, ctx, known);
  const account = usableSubscription(known, 'a change');
  const pkg = packageForEdition(deps.settings, order.editionCode);
  const seats = seatsOf(order) ?? account.seats;
  const users = await deps.accounts.users(account.accountId);
  assertSeatsCover(account, users, seats);
  const addons = await activeAddons(deps, account.accountId);
  const wanted = subscriberPackages(pkg, addons);
  const unmet = unmetDependencies(wanted);
  if (unmet.length) {
    const blocking = addons.filter((a) => unmet.some((u) => u.package === a.package)).map((a) => a.accountId);
    throw new ProvisioningError(
      'INVALID_OPERATION',
      `Subscription ${account.accountId} cannot move to ${pkg}: ${unmet.map(describeUnmet).join('; ')}; cancel add-on ${blocking.join(', ')} first`,
    );
  }

  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return wait('Webex is still working on the customer');
  const placements = await convergeSubscribers(deps, ctx, customer, users, wanted);
  if (placements === 'wait') return wait('Webex is updating the subscribers');

  const now = ctx.now();
  await deps.accounts.remember({ ...account, editionCode: order.editionCode, package: pkg, seats }, now);
  await deps.accounts.setUserPackages(account.accountId, wanted, now);
  for (const placed of placements) {
    const user = users.find((u) => u.email === placed.email)!;
    await deps.accounts.rememberUser({ ...user, packages: wanted, extension: placed.extension, locationId: placed.locationId }, now);
  }
  const moved = users.filter((u) => u.status === 'active').length;
  return done(success({ accountIdentifier: account.accountId, message: `Subscription moved to ${wanted.join(', ')}: ${moved} Webex user(s) updated${seats === undefined ? '' : `, ${seats} seat(s)`}` }));
}
