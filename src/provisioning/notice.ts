import type { NoticeEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import { consentWatchJob } from './consentJobs';
import type { Account } from '../store/accounts';
import { endSubscription } from './cancel';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { accountCustomer } from './customer';
import { ensureSubscriber, removeSubscribers } from './subscriber';
import { rememberedAccount } from './subscription';
import { rememberProvisioned } from './users';

/**
 * SUBSCRIPTION_NOTICE: DEACTIVATED (unpaid) suspends the account, and with SUSPENDED_ACCOUNT_POLICY=remove takes its
 * users out of Webex while remembering them; REACTIVATED brings back what that took away (same users, same
 * packages); CLOSED ends the subscription. Other notices are recorded.
 */
export async function handleNotice(deps: HandlerDeps, ctx: HandlerContext<NoticeEvent>): Promise<HandlerOutcome> {
  const accountId = ctx.event.payload.account.accountIdentifier;
  const notice = ctx.event.payload.notice.type.toUpperCase();
  switch (notice) {
    case 'CLOSED':
      return endSubscription(deps, ctx, await rememberedAccount(deps, ctx, accountId), { deleteCustomer: false, ending: 'closed' });
    case 'DEACTIVATED':
      return suspend(deps, ctx, await rememberedAccount(deps, ctx, accountId));
    case 'REACTIVATED':
      return reactivate(deps, ctx, await rememberedAccount(deps, ctx, accountId));
    default:
      ctx.log.info({ account: accountId, notice }, 'subscription notice recorded');
      return done(success({ accountIdentifier: accountId, message: `Notice ${notice} recorded` }));
  }
}

async function suspend(deps: HandlerDeps, ctx: HandlerContext<NoticeEvent>, account: Account): Promise<HandlerOutcome> {
  const { accountId } = account;
  if (deps.settings.suspendedAccountPolicy === 'keep' || account.parentAccountId) {
    await deps.accounts.setStatus(accountId, 'suspended', ctx.now());
    return done(success({ accountIdentifier: accountId, message: 'Account suspended; its Webex users keep their service (SUSPENDED_ACCOUNT_POLICY=keep)' }));
  }
  const customer = await accountCustomer(deps, ctx, account);
  if (customer === 'wait') return wait('Webex is still working on the customer');
  const users = (await deps.accounts.users(accountId)).filter((u) => u.status !== 'suspended');
  const subscribers = (await deps.webex.wholesale.listSubscribers({ customerId: customer.id })).filter((s) => users.some((u) => u.email === s.email?.toLowerCase()));
  const removed = await removeSubscribers(deps, ctx, customer, subscribers);
  for (const user of users) await deps.accounts.setUserStatus(accountId, user.email, 'suspended', ctx.now());
  await deps.accounts.setStatus(accountId, 'suspended', ctx.now());
  return done(success({ accountIdentifier: accountId, message: `Account suspended: ${removed.length} Webex user(s) removed until it is reactivated` }));
}

/** Each user removed by the suspension is provisioned again with the packages it had (and its extension, if free). */
async function reactivate(deps: HandlerDeps, ctx: HandlerContext<NoticeEvent>, account: Account): Promise<HandlerOutcome> {
  const { accountId } = account;
  const suspended = (await deps.accounts.users(accountId)).filter((u) => u.status === 'suspended');
  // Users come back one by one across attempts; the first attempt's list is the one reported.
  const restoring = ctx.checkpoint.get<string[]>('restoring') ?? suspended.map((u) => u.email);
  await ctx.checkpoint.set('restoring', restoring);
  if (suspended.length) {
    const customer = await accountCustomer(deps, ctx, account);
    if (customer === 'wait') return wait('Webex is still working on the customer');
    for (const user of suspended) {
      const person = { email: user.email, appDirectUuid: user.appDirectUuid, firstName: user.firstName, lastName: user.lastName };
      const placed = await ensureSubscriber(deps, ctx, customer, person, user.packages, user);
      if (placed === 'wait') return wait(`Webex is provisioning ${user.email} again`);
      await rememberProvisioned(deps, ctx, accountId, person, user.packages, placed);
    }
  }
  await deps.accounts.setStatus(accountId, 'active', ctx.now());
  const invited = (await deps.accounts.users(accountId)).filter((u) => u.status === 'pending_consent' && restoring.includes(u.email));
  const restored = restoring.length ? `: ${restoring.length} Webex user(s) provisioned again` : '';
  return done(
    success({ accountIdentifier: accountId, message: `Account reactivated${restored}` }),
    invited.map((u) => consentWatchJob(accountId, u.email, ctx.now())),
  );
}
