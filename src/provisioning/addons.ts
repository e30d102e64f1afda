import { randomUUID } from 'node:crypto';
import type { AddonOrderEvent, CancelEvent, ChangeEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import type { Account } from '../store/accounts';
import { describeUnmet, unmetDependencies } from '../webex/packageRules';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { accountCustomer, ReadyCustomer } from './customer';
import { changeCustomerPackages } from './customerPackages';
import { ProvisioningError } from './errors';
import { AddonTarget, packageForAddon } from './packages';
import { activeAddons, convergeSubscribers, rememberedAccount, subscriberPackages, usableSubscription } from './subscription';

/**
 * SUBSCRIPTION_ORDER of an add-on: its package goes on every subscriber of the subscription it extends (or on the
 * customer), after a precheck of Webex's package dependencies. The add-on is an account of its own: the answer
 * carries its own accountIdentifier, which AppDirect sends back when the add-on changes or ends.
 */
export async function handleAddonOrder(deps: HandlerDeps, ctx: HandlerContext<AddonOrderEvent>): Promise<HandlerOutcome> {
  const { account, order } = ctx.event.payload;
  const target = packageForAddon(deps.settings, order.addonOfferingCode ?? order.editionCode);
  const addonId = ctx.checkpoint.get<string>('addonAccount') ?? randomUUID();
  await ctx.checkpoint.set('addonAccount', addonId);
  const parent = usableSubscription(await rememberedAccount(deps, ctx, account.parentAccountIdentifier), `add-on ${target.code}`);
  const others = (await activeAddons(deps, parent.accountId)).filter((a) => a.accountId !== addonId);
  const customer = await accountCustomer(deps, ctx, parent);
  if (customer === 'wait') return wait('Webex is still working on the customer');

  const addon = await addonAccount(ctx, { accountId: addonId, parent, target, editionCode: order.editionCode, customer, others });
  const applied = await applyAddons(deps, ctx, parent, customer, { before: others, after: [...others, addon] });
  if (applied === 'wait') return wait('Webex is adding the add-on package');
  await deps.accounts.remember(addon, ctx.now());
  return done(success({ accountIdentifier: addonId, message: `Add-on ${target.code}: Webex ${target.package} ${placeOf(target, applied)} of subscription ${parent.accountId}` }));
}

/** SUBSCRIPTION_CHANGE of an add-on: its package is swapped for the new edition's, nothing else changes. */
export async function handleAddonChange(deps: HandlerDeps, ctx: HandlerContext<ChangeEvent>, addon: Account): Promise<HandlerOutcome> {
  const { order } = ctx.event.payload;
  const target = packageForAddon(deps.settings, order.addonOfferingCode ?? order.editionCode);
  if (addon.status !== 'active') throw new ProvisioningError('INVALID_OPERATION', `Add-on ${addon.accountId} is ${addon.status}: it cannot change`);
  const parent = usableSubscription(await rememberedAccount(deps, ctx, addon.parentAccountId!), `add-on ${target.code}`);
  const others = (await activeAddons(deps, parent.accountId)).filter((a) => a.accountId !== addon.accountId);
  const customer = await accountCustomer(deps, ctx, parent);
  if (customer === 'wait') return wait('Webex is still working on the customer');

  const changed = await addonAccount(ctx, { accountId: addon.accountId, parent, target, editionCode: order.editionCode, customer, others });
  const applied = await applyAddons(deps, ctx, parent, customer, { before: [...others, addon], after: [...others, changed] });
  if (applied === 'wait') return wait('Webex is changing the add-on package');
  await deps.accounts.remember(changed, ctx.now());
  return done(success({ accountIdentifier: addon.accountId, message: `Add-on ${addon.accountId} is now Webex ${target.package} (${target.level} level)` }));
}

/** SUBSCRIPTION_CANCEL of an add-on: exactly its package is taken off again, unless another add-on still carries it. */
export async function handleAddonCancel(deps: HandlerDeps, ctx: HandlerContext<CancelEvent>, addon: Account): Promise<HandlerOutcome> {
  const ended = () => done(success({ accountIdentifier: addon.accountId, message: `Add-on ${addon.accountId} ended: Webex ${addon.package} removed` }));
  if (addon.status !== 'active') return ended();
  const parent = await rememberedAccount(deps, ctx, addon.parentAccountId!);
  // A subscription that has ended took its add-ons with it.
  if (parent.status === 'cancelled' || parent.status === 'closed') {
    await deps.accounts.setStatus(addon.accountId, 'cancelled', ctx.now());
    return ended();
  }
  const others = (await activeAddons(deps, parent.accountId)).filter((a) => a.accountId !== addon.accountId);
  const customer = await accountCustomer(deps, ctx, parent);
  if (customer === 'wait') return wait('Webex is still working on the customer');
  const applied = await applyAddons(deps, ctx, parent, customer, { before: [...others, addon], after: others });
  if (applied === 'wait') return wait('Webex is removing the add-on package');
  await deps.accounts.setStatus(addon.accountId, 'cancelled', ctx.now());
  return ended();
}

/**
 * The add-on as it will be remembered. Whether its package is the connector's to take off the customer again is
 * decided before the customer is changed (and kept in the checkpoint): it is, when the customer did not have it,
 * or when another add-on that put it there still holds it.
 */
async function addonAccount(
  ctx: HandlerContext,
  input: { accountId: string; parent: Account; target: AddonTarget; editionCode: string; customer: ReadyCustomer; others: Account[] },
): Promise<Account> {
  const { parent, target, others } = input;
  const key = `addedToCustomer:${target.package}`;
  let addedToCustomer = ctx.checkpoint.get<boolean>(key);
  if (addedToCustomer === undefined) {
    const current = (await ctx.reads.customer(input.customer.id)).packages ?? [];
    addedToCustomer = !current.includes(target.package) || others.some((o) => o.package === target.package && o.addedToCustomer);
    await ctx.checkpoint.set(key, addedToCustomer);
  }
  const now = ctx.now();
  return {
    accountId: input.accountId,
    parentAccountId: parent.accountId,
    companyUuid: parent.companyUuid,
    companyName: parent.companyName,
    customerId: input.customer.id,
    orgId: input.customer.orgId,
    status: 'active',
    editionCode: input.editionCode,
    package: target.package,
    packageLevel: target.level,
    addedToCustomer,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Moves Webex from the add-ons `before` to the add-ons `after` of one subscription, in the order Webex's licences
 * need: packages the customer lacks are added first, then every subscriber gets its complete new list, and last the
 * packages no add-on needs any more come off the customer (only those the connector put there). Each step reads
 * Webex first, so a repeated attempt continues where the last one stopped.
 */
async function applyAddons(deps: HandlerDeps, ctx: HandlerContext, parent: Account, customer: ReadyCustomer, change: { before: Account[]; after: Account[] }): Promise<number | 'wait'> {
  const needed = [...new Set(change.after.map((a) => a.package!))];
  const drop = change.before.filter((a) => a.addedToCustomer && !needed.includes(a.package!)).map((a) => a.package!);
  const wanted = subscriberPackages(parent.package!, change.after);
  const unmet = unmetDependencies(wanted);
  if (unmet.length) {
    throw new ProvisioningError(
      'INVALID_OPERATION',
      `The users of subscription ${parent.accountId} cannot have ${wanted.join(', ')}: ${unmet.map(describeUnmet).join('; ')}; the subscription's edition must include one of them first`,
    );
  }
  const current = (await ctx.reads.customer(customer.id)).packages ?? [];
  const customerUnmet = unmetDependencies([...new Set([...current.filter((p) => !drop.includes(p)), ...needed])]);
  if (customerUnmet.length) {
    throw new ProvisioningError('INVALID_OPERATION', `The Webex customer of subscription ${parent.accountId} cannot take the add-on: ${customerUnmet.map(describeUnmet).join('; ')}`);
  }

  if ((await changeCustomerPackages(deps, ctx, customer.id, { add: needed })) === 'wait') return 'wait';
  const users = await deps.accounts.users(parent.accountId);
  const moved = await convergeSubscribers(deps, ctx, customer, users, wanted);
  if (moved === 'wait') return 'wait';
  if ((await changeCustomerPackages(deps, ctx, customer.id, { drop: await unheld(deps, ctx, customer, drop) })) === 'wait') return 'wait';
  await deps.accounts.setUserPackages(parent.accountId, wanted, ctx.now());
  return users.filter((u) => u.status === 'active').length;
}

/**
 * The packages of `drop` no subscriber of the customer holds any more. A user still to accept Webex's invitation
 * cannot be updated until then, so the customer keeps what that subscriber holds (its licence comes from there).
 */
async function unheld(deps: HandlerDeps, ctx: HandlerContext, customer: ReadyCustomer, drop: string[]): Promise<string[]> {
  if (!drop.length) return drop;
  const subscribers = await deps.webex.wholesale.listSubscribers({ customerId: customer.id });
  const held = drop.filter((p) => subscribers.some((s) => s.packages?.includes(p)));
  if (held.length) await ctx.note(`Webex: customer ${customer.id} keeps ${held.join(', ')} for subscribers still waiting for their users' consent`);
  return drop.filter((p) => !held.includes(p));
}

const placeOf = (target: AddonTarget, users: number) => (target.level === 'customer' ? 'added to the Webex customer' : `added to ${users} user(s)`);
