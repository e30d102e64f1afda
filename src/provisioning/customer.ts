import type { OrderEvent } from '../appdirect/eventSchema';
import type { Account } from '../store/accounts';
import { unlessNotFound, WebexApiError } from '../webex/errors';
import type { NewCustomer } from '../webex/wholesale';
import { Customer, webexErrorDescriptions } from '../webex/schemas';
import { customerPlace } from './address';
import type { AttemptContext, HandlerContext, HandlerDeps } from './context';
import { ProvisioningError, StaleMemoryError } from './errors';

/** The part of a Webex customer that later steps need, kept in the checkpoint once it is provisioned. */
export interface ReadyCustomer {
  id: string;
  orgId: string;
  address?: Customer['address'];
  /** The calling location users are placed at, when the connector knows it already. */
  locationId?: string;
}

/** Checkpoint key: the remembered customer was refused, so this event looks it up in Webex from now on. */
const REMEMBERED_CUSTOMER_STALE = 'rememberedCustomerStale';

/**
 * The customer as the account memory knows it (ID, organisation, calling location), for an account that is active:
 * an order of a company the connector already serves needs no Webex call to find it. Undefined when there is no such
 * memory, or when this event found it stale.
 */
export function rememberedCustomer(ctx: AttemptContext, account: Account | undefined): ReadyCustomer | undefined {
  if (ctx.checkpoint.get<boolean>(REMEMBERED_CUSTOMER_STALE)) return undefined;
  if (account?.status !== 'active' || !account.customerId || !account.orgId) return undefined;
  return { id: account.customerId, orgId: account.orgId, locationId: account.locationId };
}

/**
 * Webex refused a step done with a remembered customer: the memory may be stale (the customer was deleted or
 * replaced behind the connector's back). The event tries again at once with the customer looked up afresh; a
 * refusal that has nothing to do with the memory then comes back and is answered as usual.
 */
export async function rememberedCustomerRefused(ctx: AttemptContext, err: unknown): Promise<never> {
  await ctx.checkpoint.set(REMEMBERED_CUSTOMER_STALE, true);
  throw new StaleMemoryError(`Webex refused a step with the remembered customer (${err instanceof Error ? err.message : String(err)}); looking it up again`);
}

export const STILL_WORKING: ReadonlySet<string> = new Set(['provisioning', 'updating', 'pending_rpl_review', 'deleting']);

/**
 * Finds the account's Webex customer by external ID (never by listing every customer), creating it
 * when the company is new. Returns 'wait' while Webex is still provisioning it.
 */
export async function ensureCustomer(deps: HandlerDeps, ctx: HandlerContext<OrderEvent>, companyUuid: string, remembered?: ReadyCustomer): Promise<ReadyCustomer | 'wait'> {
  const known = ctx.checkpoint.get<ReadyCustomer>('customer');
  if (known) return known;
  if (remembered) return remembered;
  const found = await deps.webex.wholesale.findCustomerByExternalId(companyUuid);
  if (!found) {
    await createCustomer(deps, ctx, companyUuid);
    return 'wait';
  }
  return readyOrWait(ctx, found);
}

/**
 * Two orders of the same new company can race (AppDirect sends one per subscription; several instances
 * may work them): the loser's precheck or create is refused because the customer now exists. That is
 * not a failure of its order: it waits for the customer like any other order of an existing company.
 */
async function createdMeanwhile(deps: HandlerDeps, companyUuid: string, err: unknown): Promise<boolean> {
  const refused = err instanceof WebexApiError && (err.status === 400 || err.status === 409);
  return refused && (await deps.webex.wholesale.findCustomerByExternalId(companyUuid)) !== undefined;
}

/** For events after the order: the remembered account's customer must exist and be usable. */
export async function accountCustomer(deps: HandlerDeps, ctx: AttemptContext, account: Account): Promise<ReadyCustomer | 'wait'> {
  const known = ctx.checkpoint.get<ReadyCustomer>('customer');
  if (known) return known;
  const externalId = account.companyUuid ?? account.accountId;
  const found = account.customerId ? await unlessNotFound(ctx.reads.customer(account.customerId)) : await deps.webex.wholesale.findCustomerByExternalId(externalId);
  if (!found || found.status === 'deleting') {
    throw new ProvisioningError('ACCOUNT_NOT_FOUND', `No Webex customer ${account.customerId ? `${account.customerId} (account ${account.accountId})` : `has external ID ${externalId}`}`);
  }
  return readyOrWait(ctx, found, account.customerId === found.id ? account.locationId : undefined);
}

async function readyOrWait(ctx: AttemptContext, customer: Customer, locationId?: string): Promise<ReadyCustomer | 'wait'> {
  if (STILL_WORKING.has(customer.status)) return 'wait';
  if (customer.status === 'error') {
    const reason = webexErrorDescriptions(customer.errors) ?? 'no reason given';
    throw new ProvisioningError('UNKNOWN_ERROR', `Webex could not provision customer ${customer.id}: ${reason}`);
  }
  if (customer.status === 'provisioned_with_errors') {
    const warnings = (customer.resourceDetails?.packages ?? []).flatMap((p) => [...(p.warnings ?? []), ...(p.errors ?? [])].map((w) => `${p.name}: ${w.description ?? w.errorCode}`));
    ctx.log.warn({ customerId: customer.id, warnings }, 'Webex provisioned the customer with errors; carrying on');
    await ctx.note(`customer ${customer.id} provisioned with errors: ${warnings.join('; ') || 'none listed'}`);
  }
  if (!customer.orgId) throw new ProvisioningError('INVALID_RESPONSE', `Webex customer ${customer.id} is ${customer.status} but has no orgId`);
  const ready: ReadyCustomer = { id: customer.id, orgId: customer.orgId, address: customer.address, ...(locationId ? { locationId } : {}) };
  await ctx.checkpoint.set('customer', ready);
  return ready;
}

async function createCustomer(deps: HandlerDeps, ctx: HandlerContext<OrderEvent>, companyUuid: string): Promise<void> {
  const body = newCustomerBody(deps, ctx.event, companyUuid);
  let customerId: string;
  try {
    await deps.webex.wholesale.precheckCustomer(body);
  } catch (err) {
    if (await createdMeanwhile(deps, companyUuid, err)) return;
    throw refusal(err, 'Webex refused the new customer at precheck');
  }
  try {
    customerId = await deps.webex.wholesale.createCustomer(body);
  } catch (err) {
    if (await createdMeanwhile(deps, companyUuid, err)) return;
    throw refusal(err, 'Webex refused the new customer');
  }
  ctx.log.info({ customerId }, 'Webex customer provisioning started');
  await ctx.note(`Webex: provisioning customer ${customerId} for ${body.customerInfo.name} (packages ${body.packages.join(', ')}) in ${body.address.city}, ${body.address.country}, time zone ${body.provisioningParameters?.meetings?.timezone}`);
}

/** A 4xx answer to a precheck or a create is Webex's reasoned "no": it becomes INVALID_OPERATION with that reason. */
export function refusal(err: unknown, what: string): unknown {
  if (err instanceof WebexApiError && err.status && err.status >= 400 && err.status < 500 && err.status !== 429 && err.status !== 423) {
    return new ProvisioningError('INVALID_OPERATION', `${what}: ${err.details.webexMessage ?? `HTTP ${err.status}`}`, err.trackingId);
  }
  return err;
}

function newCustomerBody(deps: HandlerDeps, event: OrderEvent, companyUuid: string): NewCustomer {
  const { settings } = deps;
  const company = event.payload.company;
  const { address, timezone } = customerPlace(settings, event);
  const name = `${company.name ?? companyUuid}${settings.customerNameSuffix}`.replace(/%/g, '');
  const language = (event.creator?.locale ?? event.creator?.language ?? settings.language).replace('-', '_');
  // The schema guarantees one of the two: the company's e-mail, else the creator's.
  const primaryEmail = company.email?.trim() || event.creator?.email?.trim() || '';
  return {
    provisioningId: settings.provisioningId,
    packages: settings.customerPackages,
    externalId: companyUuid,
    address,
    customerInfo: { name, primaryEmail, language },
    provisioningParameters: {
      calling: { location: { name: 'Main Office', address, timezone, language: language.toLowerCase() } },
      meetings: { timezone },
    },
  };
}
