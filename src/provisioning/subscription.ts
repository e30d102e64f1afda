import type { Account, AccountUser } from '../store/accounts';
import { unlessNotFound } from '../webex/errors';
import { isCallingPackage, isSubscriberAddonPackage } from '../webex/packageRules';
import type { Subscriber } from '../webex/schemas';
import type { SubscriberParameters } from '../webex/wholesale';
import type { AttemptContext, HandlerDeps } from './context';
import type { ReadyCustomer } from './customer';
import { refusal } from './customer';
import { sameSet } from './customerPackages';
import { ProvisioningError } from './errors';
import { callingPlacement, settledOrWait } from './subscriber';

/**
 * The account an event names, as the connector remembers it. An account provisioned before the connector kept
 * this memory is adopted once from Webex (its customer by external ID, and that customer's subscribers).
 */
export async function rememberedAccount(deps: HandlerDeps, ctx: AttemptContext, accountId: string): Promise<Account> {
  return (await deps.accounts.get(accountId)) ?? (await adoptFromWebex(deps, ctx, accountId));
}

async function adoptFromWebex(deps: HandlerDeps, ctx: AttemptContext, accountId: string): Promise<Account> {
  const customer = await deps.webex.wholesale.findCustomerByExternalId(accountId);
  if (!customer || customer.status === 'deleting') throw new ProvisioningError('ACCOUNT_NOT_FOUND', `No Webex customer has external ID ${accountId}`);
  const subscribers = await deps.webex.wholesale.listSubscribers({ customerId: customer.id });
  const packages = subscribers.find((s) => s.packages?.length)?.packages ?? [];
  const account: Account = {
    accountId,
    companyUuid: accountId,
    customerId: customer.id,
    orgId: customer.orgId,
    status: 'active',
    package: packages.find((p) => !isSubscriberAddonPackage(p)) ?? deps.settings.customerPackages[0],
    addedToCustomer: false,
    createdAt: ctx.now(),
    updatedAt: ctx.now(),
  };
  await deps.accounts.remember(account, ctx.now());
  for (const s of subscribers) {
    if (!s.email) continue;
    const status = s.status === 'pending_user_migration' ? 'pending_consent' : 'active';
    await deps.accounts.rememberUser({ accountId, email: s.email, subscriberId: s.id, packages: s.packages ?? [], status }, ctx.now());
    if (status === 'pending_consent') await deps.accounts.recordInvited(accountId, s.email, ctx.now());
  }
  await ctx.note(`account ${accountId} adopted from Webex: customer ${customer.id} with ${subscribers.length} subscriber(s)`);
  return account;
}

/** Users are assigned to, and changes made on, subscriptions that are active; an add-on has no users of its own. */
export function usableSubscription(account: Account, what: string): Account {
  if (account.parentAccountId) {
    throw new ProvisioningError('INVALID_OPERATION', `Account ${account.accountId} is an add-on of subscription ${account.parentAccountId}: ${what} applies to the subscription`);
  }
  if (account.status === 'cancelled' || account.status === 'closed') {
    throw new ProvisioningError('INVALID_OPERATION', `Subscription ${account.accountId} is ${account.status}: ${what} is not possible`);
  }
  return account;
}

export const isActiveAddon = (a: Account) => a.status === 'active' && !!a.package;

/**
 * The complete package list of each subscriber of a subscription: the edition's package, then the packages of its
 * active subscriber-level add-ons (each once, however many add-ons carry it).
 */
export function subscriberPackages(basePackage: string, addons: Account[]): string[] {
  const extra = addons.filter((a) => isActiveAddon(a) && a.packageLevel === 'subscriber').map((a) => a.package!);
  return [...new Set([basePackage, ...extra])];
}

export async function activeAddons(deps: HandlerDeps, accountId: string): Promise<Account[]> {
  return (await deps.accounts.addonsOf(accountId)).filter(isActiveAddon);
}

/** A user the convergence moved onto Webex Calling, and where. */
export interface Placement {
  email: string;
  extension: string;
  locationId: string;
}

/**
 * Brings every user of the subscription whose subscriber is in Webex (not those waiting for their consent, nor
 * those removed while the account is suspended) to the complete package list `wanted`: a subscriber gaining
 * Webex Calling gets a location and an extension. Each subscriber is read first, so a repeated attempt finds those
 * already moved and moves nothing twice. 'wait' while Webex is still updating any of them.
 */
export async function convergeSubscribers(deps: HandlerDeps, ctx: AttemptContext, customer: ReadyCustomer, users: AccountUser[], wanted: string[]): Promise<Placement[] | 'wait'> {
  const placements: Placement[] = [];
  let busy = false;
  for (const user of users.filter((u) => u.status === 'active')) {
    const subscriber = await subscriberOf(deps, customer, user);
    const current = subscriber.packages ?? [];
    if (!sameSet(current, wanted)) {
      const provisioningParameters: SubscriberParameters = {};
      if (wanted.some(isCallingPackage) && !current.some(isCallingPackage)) {
        const placement = await callingPlacement(deps, ctx.now, customer);
        Object.assign(provisioningParameters, placement);
        placements.push({ email: user.email, ...placement });
      }
      let updated: Subscriber;
      try {
        updated = await deps.webex.wholesale.updateSubscriber(subscriber.id, { packages: wanted, ...(Object.keys(provisioningParameters).length ? { provisioningParameters } : {}) });
      } catch (err) {
        throw refusal(err, `Webex refused packages ${wanted.join(', ')} for ${user.email}`);
      }
      await ctx.note(`Webex: subscriber ${user.email} ${current.join(', ') || 'no package'} → ${wanted.join(', ')}${provisioningParameters.extension ? `, extension ${provisioningParameters.extension}` : ''}`);
      busy ||= settledOrWait(updated) === 'wait';
    } else {
      busy ||= settledOrWait(subscriber) === 'wait';
    }
  }
  return busy ? 'wait' : placements;
}

/** The user's subscriber: by the ID the connector keeps, else by e-mail; gone from Webex is an error an operator must see. */
async function subscriberOf(deps: HandlerDeps, customer: ReadyCustomer, user: AccountUser): Promise<Subscriber> {
  const known = user.subscriberId ? await unlessNotFound(deps.webex.wholesale.getSubscriber(user.subscriberId)) : undefined;
  if (known) return known;
  const [found] = await deps.webex.wholesale.listSubscribers({ customerId: customer.id, email: user.email });
  if (!found) throw new ProvisioningError('USER_NOT_FOUND', `${user.email} is a user of account ${user.accountId}, but Webex has no subscriber for it (removed outside the connector?)`);
  return found;
}
