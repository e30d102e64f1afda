import type { UserUpdatedEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import type { Account, AccountUser } from '../store/accounts';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { accountCustomer } from './customer';
import { ProvisioningError } from './errors';
import { rememberedAccount } from './subscription';

/**
 * USER_UPDATED: what Webex lets a partner change of a person, its first and last name, follows AppDirect. The
 * e-mail cannot change: a wholesale subscriber is its e-mail. The answer says what was done and what was not.
 */
export async function handleUserUpdated(deps: HandlerDeps, ctx: HandlerContext<UserUpdatedEvent>): Promise<HandlerOutcome> {
  const { account: named, user } = ctx.event.payload;
  const account = await rememberedAccount(deps, ctx, named.accountIdentifier);
  const accountId = account.accountId;
  const remembered = (user.uuid ? await deps.accounts.userByAppDirectUuid(accountId, user.uuid) : undefined) ?? (await deps.accounts.user(accountId, user.email));
  if (!remembered) throw new ProvisioningError('USER_NOT_FOUND', `${user.email} is not a user of account ${accountId}`);
  const name = { firstName: user.firstName ?? remembered.firstName, lastName: user.lastName ?? remembered.lastName };

  let renamed: string;
  if (remembered.status === 'active') {
    const outcome = await renameInWebex(deps, ctx, account, remembered, name);
    if (outcome === 'wait') return wait('Webex is still working on the customer');
    renamed = outcome;
  } else {
    renamed = remembered.status === 'pending_consent' ? `${remembered.email} has not accepted Webex's invitation yet, so the name stays the one of their own Webex account` : `${remembered.email} is suspended; the new name is used when the account is reactivated`;
  }
  await deps.accounts.rememberUser({ ...remembered, appDirectUuid: user.uuid ?? remembered.appDirectUuid, ...name }, ctx.now());
  const emailNote =
    user.email.trim().toLowerCase() === remembered.email
      ? ''
      : `. The e-mail was not changed: a Webex subscriber is its e-mail, so ${remembered.email} stays; to move the user to ${user.email}, unassign and assign them again`;
  return done(success({ accountIdentifier: accountId, userIdentifier: remembered.subscriberId, message: `${renamed}${emailNote}` }));
}

async function renameInWebex(
  deps: HandlerDeps,
  ctx: HandlerContext,
  account: Account,
  user: AccountUser,
  name: { firstName?: string; lastName?: string },
): Promise<string | 'wait'> {
  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return 'wait';
  const subscriber = user.subscriberId ? await deps.webex.wholesale.getSubscriber(user.subscriberId) : undefined;
  const personId = subscriber?.personId ?? (await deps.webex.people.findByEmail(user.email, customer.orgId))?.id;
  if (!personId) throw new ProvisioningError('USER_NOT_FOUND', `${user.email} has no Webex person in the customer's organisation`);
  const person = await deps.webex.people.get(personId);
  if (person.firstName === name.firstName && person.lastName === name.lastName) return `${user.email} already has that name in Webex`;
  await deps.webex.people.rename(person, name);
  const shown = [name.firstName, name.lastName].filter(Boolean).join(' ');
  await ctx.note(`Webex: person ${user.email} renamed to ${shown}`);
  return `${user.email} is now ${shown} in Webex`;
}
