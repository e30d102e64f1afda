import { Router } from 'express';
import { parseBody } from './bodies';
import type { SimContext } from './context';
import {
  assertCustomerInfoForNewOrg,
  assertPackagePrerequisites,
  customerPrecheckBody,
  customerUpdateBody,
  newCustomerBody,
} from './customerRules';
import { WebexHttpError, apiBaseUrl } from './http';
import { newWebexId } from './ids';
import { queryList, queryString, sendPage } from './pagination';
import { isCustomerBusy, isOrgVisible } from './provisioning';
import { findCustomerByExternalId, type SimCustomer, type WebexSimState } from './state';
import { customerJson } from './views';

const PRECHECK_SUCCESS = { message: 'success', info: { infoCode: 100, description: 'Provisioning Precheck validation successful.' } };

export function requireCustomer(state: WebexSimState, customerId: string): SimCustomer {
  const customer = state.customers.get(customerId);
  if (!customer) throw new WebexHttpError(404, 'Customer not found.');
  return customer;
}

function assertExternalIdFree(state: WebexSimState, externalId: string, status: 400 | 409, except?: SimCustomer): void {
  const holder = findCustomerByExternalId(state, externalId);
  if (holder && holder !== except) throw new WebexHttpError(status, `A customer with externalId ${externalId} already exists.`);
}

/** A package the customer's subscribers hold cannot be taken off the customer: their licenses come from it. */
function assertPackagesUnused(state: WebexSimState, customer: SimCustomer, keep: readonly string[]): void {
  const subscribers = [...state.subscribers.values()].filter((s) => s.customerId === customer.id);
  const dropped = customer.packages.filter((name) => !keep.includes(name));
  const inUse = dropped.map((name) => [name, subscribers.filter((s) => s.packages.includes(name)).length] as const).filter(([, count]) => count > 0);
  if (inUse.length) {
    throw new WebexHttpError(409, 'Packages still assigned to subscribers cannot be removed.', inUse.map(([name, count]) => ({ description: `${name} is assigned to ${count} subscriber(s).` })));
  }
}

/** Deleting a customer removes its Webex org: subscribers, people and locations go with it. */
export function removeCustomer(state: WebexSimState, customer: SimCustomer): void {
  state.customers.delete(customer.id);
  for (const [id, s] of state.subscribers) if (s.customerId === customer.id) state.subscribers.delete(id);
  for (const [id, p] of state.people) if (p.orgId === customer.orgId) state.people.delete(id);
  for (const [id, l] of state.locations) if (l.orgId === customer.orgId) state.locations.delete(id);
}

export function customerRoutes(ctx: SimContext): Router {
  const { state, settings } = ctx;
  const router = Router();

  router.get('/wholesale/customers', (req, res) => {
    const externalId = queryString(req, 'externalId');
    const orgId = queryString(req, 'orgId');
    const statuses = queryList(req, 'status');
    const items = [...state.customers.values()]
      .filter((c) => externalId === undefined || c.externalId === externalId)
      .filter((c) => orgId === undefined || (c.orgId === orgId && isOrgVisible(c)))
      .filter((c) => statuses === undefined || statuses.includes(c.status))
      .map(customerJson);
    sendPage(req, res, items, settings.pageSize);
  });

  router.post('/wholesale/customers/validate', (req, res) => {
    const body = parseBody(customerPrecheckBody, req.body);
    if (body.externalId !== undefined) assertExternalIdFree(state, body.externalId, 400);
    if (body.packages) assertPackagePrerequisites(body.packages);
    res.json(PRECHECK_SUCCESS);
  });

  router.post('/wholesale/customers', (req, res) => {
    const body = parseBody(newCustomerBody, req.body);
    assertPackagePrerequisites(body.packages);
    assertCustomerInfoForNewOrg(body);
    assertExternalIdFree(state, body.externalId, 409);
    const now = ctx.now();
    const customer: SimCustomer = {
      id: newWebexId('ENTERPRISE'),
      externalId: body.externalId,
      provisioningId: body.provisioningId,
      packages: body.packages,
      address: body.address,
      customerInfo: body.customerInfo,
      callingLocation: body.provisioningParameters?.calling?.location,
      orgId: body.orgId ?? newWebexId('ORGANIZATION'),
      status: 'provisioning',
      busyUntil: now + settings.customerProvisioningMs,
      createdAt: now,
    };
    state.customers.set(customer.id, customer);
    const url = `${apiBaseUrl(req)}/wholesale/customers/${customer.id}`;
    res.status(202).location(url).json({ url });
  });

  router.get('/wholesale/customers/:customerId', (req, res) => {
    res.json(customerJson(requireCustomer(state, req.params.customerId)));
  });

  router.put('/wholesale/customers/:customerId', (req, res) => {
    const customer = requireCustomer(state, req.params.customerId);
    const body = parseBody(customerUpdateBody, req.body);
    if (isCustomerBusy(customer)) throw new WebexHttpError(409, 'The customer is still being provisioned or updated; retry later.');
    assertPackagePrerequisites(body.packages);
    assertPackagesUnused(state, customer, body.packages);
    if (body.externalId !== undefined) assertExternalIdFree(state, body.externalId, 409, customer);
    Object.assign(customer, {
      externalId: body.externalId ?? customer.externalId,
      packages: body.packages,
      address: body.address ?? customer.address,
      callingLocation: body.provisioningParameters?.calling?.location ?? customer.callingLocation,
      status: 'updating',
      busyUntil: ctx.now() + settings.customerProvisioningMs,
    });
    const url = `${apiBaseUrl(req)}/wholesale/customers/${customer.id}`;
    res.status(202).location(url).json({ url });
  });

  router.delete('/wholesale/customers/:customerId', (req, res) => {
    removeCustomer(state, requireCustomer(state, req.params.customerId));
    res.status(202).end();
  });

  return router;
}
