import { AddonOrderEvent, isAddonOrder, OrderEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import { handleAddonOrder } from './addons';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { ensureCustomer, ReadyCustomer, rememberedCustomer, rememberedCustomerRefused } from './customer';
import { judge } from './failures';
import { packageForEdition } from './packages';
import { assertSeatFree, seatsOf } from './seats';
import { ensureSubscriber, Person } from './subscriber';
import { activeAddons, subscriberPackages } from './subscription';
import { rememberProvisioned, userProvisioned } from './users';

/**
 * SUBSCRIPTION_ORDER: the company becomes a Webex customer (if new) and the order's creator, when there is one,
 * a subscriber with the edition's package; an order without a creator leaves the users to their assignments.
 * An add-on's order goes to its own handler.
 */
export async function handleOrder(deps: HandlerDeps, ctx: HandlerContext<OrderEvent | AddonOrderEvent>): Promise<HandlerOutcome> {
  const { event } = ctx;
  if (isAddonOrder(event)) return handleAddonOrder(deps, { ...ctx, event });
  return handleSubscriptionOrder(deps, { ...ctx, event });
}

async function handleSubscriptionOrder(deps: HandlerDeps, ctx: HandlerContext<OrderEvent>): Promise<HandlerOutcome> {
  const { event } = ctx;
  const { company, order } = event.payload;
  const accountId = company.uuid;
  const pkg = packageForEdition(deps.settings, order.editionCode);
  const seats = seatsOf(order);
  const buyer = buyerOf(event);
  const known = await deps.accounts.get(accountId);
  const reordered = known?.status === 'active';
  const users = reordered ? await deps.accounts.users(accountId) : [];
  const facts = { accountId, companyUuid: accountId, companyName: company.name, status: 'active' as const, editionCode: order.editionCode, package: pkg, addedToCustomer: false, seats };
  // The buyer holds one of the seats.
  if (buyer) assertSeatFree(facts, users, buyer.email);

  const remembered = rememberedCustomer(ctx, known);
  const customer = await ensureCustomer(deps, ctx, accountId, remembered);
  if (customer === 'wait') return wait('Webex is provisioning the customer');
  const remember = (c: ReadyCustomer) => deps.accounts.remember({ ...facts, customerId: c.id, orgId: c.orgId }, ctx.now());
  if (!buyer) {
    await remember(customer);
    return done(success({ accountIdentifier: accountId, message: `Webex customer ready for ${company.name ?? accountId}; its users are added as AppDirect assigns them` }));
  }

  const packages = subscriberPackages(pkg, reordered ? await activeAddons(deps, accountId) : []);
  const placed = await ensureSubscriber(deps, ctx, customer, buyer, packages).catch((err: unknown) => {
    if (customer !== remembered || judge(err).transient) throw err;
    return rememberedCustomerRefused(ctx, err);
  });
  if (placed === 'wait') return wait('Webex is provisioning the subscriber');
  await remember(customer);
  if (placed.locationId) await deps.accounts.rememberLocation(customer.id, placed.locationId, ctx.now());
  const status = await rememberProvisioned(deps, ctx, accountId, buyer, packages, placed);
  return userProvisioned(ctx, accountId, buyer.email, status, placed, packages);
}

/** The creator becomes the first user, when the order has one with an e-mail. */
function buyerOf(event: OrderEvent): (Person & { appDirectUuid?: string }) | undefined {
  const creator = event.creator;
  const email = creator?.email?.trim();
  if (!creator || !email) return undefined;
  return { email, appDirectUuid: creator.uuid, firstName: creator.firstName ?? creator.address?.firstName, lastName: creator.lastName ?? creator.address?.lastName };
}
