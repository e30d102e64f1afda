import type { CancelEvent, NoticeEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import { WebexApiError } from '../webex/errors';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { accountCustomer } from './customer';
import { removeSubscribers } from './subscriber';

/** Removes every subscriber of the account (and their people); used by cancellation and by a CLOSED notice. */
export async function removeAccountUsers(deps: HandlerDeps, ctx: HandlerContext<CancelEvent | NoticeEvent>, opts: { deleteCustomer: boolean }): Promise<HandlerOutcome> {
  const account = ctx.event.payload.account.accountIdentifier;
  if (ctx.checkpoint.get<boolean>('customerDeleted')) return done(success({ accountIdentifier: account, message: 'Webex customer removed' }));
  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return wait('Webex is still working on the customer');
  const subscribers = await deps.webex.wholesale.listSubscribers({ customerId: customer.id });
  const removed = await removeSubscribers(deps, ctx, customer, subscribers);
  if (opts.deleteCustomer) {
    await ctx.checkpoint.set('customerDeleted', true);
    try {
      await deps.webex.wholesale.deleteCustomer(customer.id);
    } catch (err) {
      if (!(err instanceof WebexApiError && err.status === 404)) throw err;
    }
    await ctx.note(`Webex: customer ${customer.id} deleted with its last subscriber`);
  }
  return done(success({ accountIdentifier: account, message: `Removed ${removed.length} Webex user(s)${opts.deleteCustomer ? ' and the customer' : ''}` }));
}

/** SUBSCRIPTION_CANCEL: the subscription ends; whether the customer goes too is the operator's choice. */
export function handleCancel(deps: HandlerDeps, ctx: HandlerContext<CancelEvent>): Promise<HandlerOutcome> {
  return removeAccountUsers(deps, ctx, { deleteCustomer: deps.settings.deleteCustomerWithLastSubscriber });
}
