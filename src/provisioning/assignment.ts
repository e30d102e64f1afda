import type { AssignmentEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { accountCustomer } from './customer';
import { ProvisioningError } from './errors';
import { ensureSubscriber, removeSubscribers } from './subscriber';

/** USER_ASSIGNMENT: another user of the company gets the package the account's users already have. */
export async function handleAssignment(deps: HandlerDeps, ctx: HandlerContext<AssignmentEvent>): Promise<HandlerOutcome> {
  const { event } = ctx;
  const account = event.payload.account.accountIdentifier;
  const user = event.payload.user;
  const email = user.email;
  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return wait('Webex is still working on the customer');
  const pkg = ctx.checkpoint.get<string>('package') ?? (await accountPackage(deps, customer.id));
  await ctx.checkpoint.set('package', pkg);
  const subscriber = await ensureSubscriber(deps, ctx, customer, { email, firstName: user.firstName, lastName: user.lastName }, pkg);
  if (subscriber === 'wait') return wait('Webex is provisioning the subscriber');
  return done(success({ accountIdentifier: account, userIdentifier: subscriber.id, message: `Webex ${pkg} provisioned for ${email}` }));
}

/** The package the account's existing users have; the first configured customer package otherwise. */
async function accountPackage(deps: HandlerDeps, customerId: string): Promise<string> {
  const existing = await deps.webex.wholesale.listSubscribers({ customerId });
  return existing.find((s) => s.packages?.length)?.packages?.[0] ?? deps.settings.customerPackages[0];
}

/** USER_UNASSIGNMENT: the user's subscriber and person are removed. */
export async function handleUnassignment(deps: HandlerDeps, ctx: HandlerContext<AssignmentEvent>): Promise<HandlerOutcome> {
  const { event } = ctx;
  const account = event.payload.account.accountIdentifier;
  const email = event.payload.user.email;
  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return wait('Webex is still working on the customer');
  const subscribers = await deps.webex.wholesale.listSubscribers({ customerId: customer.id, email });
  // A repeat after an interrupted attempt finds nothing left to remove, and that is success.
  const alreadyStarted = (ctx.checkpoint.get<string[]>('peopleToRemove') ?? []).length > 0;
  if (!subscribers.length && !alreadyStarted) throw new ProvisioningError('USER_NOT_FOUND', `${email} is not a subscriber of account ${account}`);
  await removeSubscribers(deps, ctx, customer, subscribers);
  return done(success({ accountIdentifier: account, message: `${email} removed from Webex` }));
}
