import type { OrderEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import { done, HandlerContext, HandlerDeps, HandlerOutcome, wait } from './context';
import { ensureCustomer } from './customer';
import { packageForEdition } from './packages';
import { ensureSubscriber } from './subscriber';

/** SUBSCRIPTION_ORDER: the company becomes a Webex customer (if new) and its creator a subscriber. */
export async function handleOrder(deps: HandlerDeps, ctx: HandlerContext<OrderEvent>): Promise<HandlerOutcome> {
  const { event } = ctx;
  const companyUuid = event.payload.company.uuid;
  const pkg = packageForEdition(deps.settings, event.payload.order.editionCode);
  const customer = await ensureCustomer(deps, ctx, companyUuid);
  if (customer === 'wait') return wait('Webex is provisioning the customer');
  const creator = event.creator;
  const subscriber = await ensureSubscriber(deps, ctx, customer, {
    email: creator.email,
    firstName: creator.firstName ?? creator.address?.firstName,
    lastName: creator.lastName ?? creator.address?.lastName,
  }, pkg);
  if (subscriber === 'wait') return wait('Webex is provisioning the subscriber');
  return done(success({ accountIdentifier: companyUuid, userIdentifier: subscriber.id, message: `Webex ${pkg} provisioned for ${creator.email}` }));
}
