import type { ChangeEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { accountCustomer, refusal } from './customer';
import { ProvisioningError } from './errors';
import { isCallingPackage, packageForEdition } from './packages';
import { callingPlacement, settledOrWait } from './subscriber';
import type { SubscriberParameters } from '../webex/wholesale';

/** SUBSCRIPTION_CHANGE: the account's subscriber moves to the new edition's package. */
export async function handleChange(deps: HandlerDeps, ctx: HandlerContext<ChangeEvent>): Promise<HandlerOutcome> {
  const { event } = ctx;
  const account = event.payload.account.accountIdentifier;
  const email = event.creator.email;
  const pkg = packageForEdition(deps.settings, event.payload.order.editionCode);
  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return wait('Webex is still working on the customer');

  const [subscriber] = await deps.webex.wholesale.listSubscribers({ customerId: customer.id, email });
  if (!subscriber) throw new ProvisioningError('USER_NOT_FOUND', `${email} is not a subscriber of account ${account}`);

  const current = subscriber.packages ?? [];
  // Already on the new package (this change, or a repeat of it after an interruption): only wait for it to settle.
  if (current.includes(pkg)) {
    const settled = settledOrWait(subscriber);
    return settled === 'wait' ? wait('Webex is updating the subscriber') : done(success({ accountIdentifier: account, message: `${email} is on ${pkg}` }));
  }

  const provisioningParameters: SubscriberParameters = {};
  if (isCallingPackage(pkg) && !current.some(isCallingPackage)) Object.assign(provisioningParameters, await callingPlacement(deps, customer));
  let updated;
  try {
    updated = await deps.webex.wholesale.updateSubscriber(subscriber.id, {
      packages: [pkg],
      ...(Object.keys(provisioningParameters).length ? { provisioningParameters } : {}),
    });
  } catch (err) {
    throw refusal(err, `Webex refused to move ${email} to ${pkg}`);
  }
  await ctx.note(`Webex: subscriber ${email} moved from ${current.join(', ') || 'no package'} to ${pkg}`);
  return settledOrWait(updated) === 'wait' ? wait('Webex is updating the subscriber') : done(success({ accountIdentifier: account, message: `${email} is on ${pkg}` }));
}
