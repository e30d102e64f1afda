import type { CancelEvent, NoticeEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import type { Account } from '../store/accounts';
import { unlessNotFound } from '../webex/errors';
import { handleAddonCancel } from './addons';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { accountCustomer } from './customer';
import { changeCustomerPackages } from './customerPackages';
import { removeSubscribers } from './subscriber';
import { activeAddons, rememberedAccount } from './subscription';

/**
 * Ends a subscription in Webex: every subscriber of the account and their people go (so the e-mails can be used
 * again), its add-ons end with it (packages the connector put on the customer for them come off), and the customer
 * too when the operator chose so. Used by cancellation and by a CLOSED notice; the memory keeps the account as
 * `ending` says.
 */
export async function endSubscription(deps: HandlerDeps, ctx: HandlerContext<CancelEvent | NoticeEvent>, account: Account, opts: { deleteCustomer: boolean; ending: 'cancelled' | 'closed' }): Promise<HandlerOutcome> {
  const accountId = account.accountId;
  if (ctx.checkpoint.get<boolean>('customerDeleted')) return done(success({ accountIdentifier: accountId, message: 'Webex customer removed' }));
  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return wait('Webex is still working on the customer');
  // Once the users are gone, a repeated attempt (waiting for the customer's packages to change) skips to that.
  let removed = ctx.checkpoint.get<string[]>('usersRemoved');
  if (!removed) {
    removed = await removeSubscribers(deps, ctx, customer, await deps.webex.wholesale.listSubscribers({ customerId: customer.id }));
    await ctx.checkpoint.set('usersRemoved', removed);
  }
  const addons = await activeAddons(deps, accountId);
  if (opts.deleteCustomer) {
    await ctx.checkpoint.set('customerDeleted', true);
    await unlessNotFound(deps.webex.wholesale.deleteCustomer(customer.id));
    await ctx.note(`Webex: customer ${customer.id} deleted with its last subscriber`);
  } else {
    const drop = addons.filter((a) => a.addedToCustomer).map((a) => a.package!);
    if ((await changeCustomerPackages(deps, ctx, customer.id, { drop })) === 'wait') return wait('Webex is taking the add-on packages off the customer');
  }

  const now = ctx.now();
  for (const addon of addons) await deps.accounts.setStatus(addon.accountId, 'cancelled', now);
  await deps.accounts.forgetUsers(accountId);
  await deps.accounts.setStatus(accountId, opts.ending, now);
  const ended = addons.length ? ` and ${addons.length} add-on(s)` : '';
  return done(success({ accountIdentifier: accountId, message: `Removed ${removed.length} Webex user(s)${ended}${opts.deleteCustomer ? ' and the customer' : ''}` }));
}

/** SUBSCRIPTION_CANCEL: the subscription ends (whether the customer goes too is the operator's choice); an add-on ends alone. */
export async function handleCancel(deps: HandlerDeps, ctx: HandlerContext<CancelEvent>): Promise<HandlerOutcome> {
  const account = await rememberedAccount(deps, ctx, ctx.event.payload.account.accountIdentifier);
  if (account.parentAccountId) return handleAddonCancel(deps, ctx, account);
  return endSubscription(deps, ctx, account, { deleteCustomer: deps.settings.deleteCustomerWithLastSubscriber, ending: 'cancelled' });
}
