import { Router, type Response } from 'express';
import { parseBody } from './bodies';
import type { SimContext } from './context';
import { WebexHttpError, apiBaseUrl } from './http';
import { newWebexId } from './ids';
import { queryString, sendPage } from './pagination';
import { markDeprecatedPackageField } from './recording';
import { finishSubscriber } from './provisioning';
import type { SimPerson, SimSubscriber, WebexSimState } from './state';
import {
  assertCallingParameters,
  assertCustomerHasPackages,
  assertEmailAvailable,
  assertUpdatable,
  choosePackages,
  newSubscriberBody,
  requireProvisionedCustomer,
  subscriberPrecheckBody,
  subscriberUpdateBody,
  type ChosenPackages,
} from './subscriberRules';
import { subscriberJson } from './views';

const PRECHECK_SUCCESS = { message: 'success', info: { infoCode: 100, description: 'Provisioning Precheck validation successful.' } };

function requireSubscriber(state: WebexSimState, subscriberId: string): SimSubscriber {
  const subscriber = state.subscribers.get(subscriberId);
  if (!subscriber) throw new WebexHttpError(404, 'Subscriber not found.');
  return subscriber;
}

/** Picks the packages and notes use of the deprecated field on the recorded call, so tests can catch it. */
function packagesOf(res: Response, body: { package?: string; packages?: string[] }): ChosenPackages {
  const chosen = choosePackages(body);
  if (chosen.viaDeprecatedField) markDeprecatedPackageField(res);
  return chosen;
}

function matchesFilters(state: WebexSimState, s: SimSubscriber, filters: Record<string, string | undefined>): boolean {
  const { customerId, externalCustomerId, email, personId, status } = filters;
  return (
    (customerId === undefined || s.customerId === customerId) &&
    (externalCustomerId === undefined || state.customers.get(s.customerId)?.externalId === externalCustomerId) &&
    (email === undefined || s.email.toLowerCase() === email.toLowerCase()) &&
    (personId === undefined || (s.status === 'provisioned' && s.personId === personId)) &&
    (status === undefined || s.status === status)
  );
}

export function subscriberRoutes(ctx: SimContext): Router {
  const { state, settings } = ctx;
  const router = Router();

  router.get('/wholesale/subscribers', (req, res) => {
    const filters = Object.fromEntries(
      ['customerId', 'externalCustomerId', 'email', 'personId', 'status'].map((name) => [name, queryString(req, name)]),
    );
    const items = [...state.subscribers.values()].filter((s) => matchesFilters(state, s, filters));
    sendPage(req, res, items.map((s) => subscriberJson(state, s)), settings.pageSize);
  });

  router.post('/wholesale/subscribers/validate', (req, res) => {
    const body = parseBody(subscriberPrecheckBody, req.body);
    const chosen = packagesOf(res, body);
    assertEmailAvailable(state, body.email);
    if (body.customerId !== undefined) {
      const customer = requireProvisionedCustomer(state, body.customerId);
      assertCustomerHasPackages(customer, chosen.names);
      if (body.provisioningParameters) assertCallingParameters(state, customer, chosen.names, body.provisioningParameters);
    }
    res.json(PRECHECK_SUCCESS);
  });

  router.post('/wholesale/subscribers', (req, res) => {
    const body = parseBody(newSubscriberBody, req.body);
    const chosen = packagesOf(res, body);
    const customer = requireProvisionedCustomer(state, body.customerId);
    assertCustomerHasPackages(customer, chosen.names);
    assertEmailAvailable(state, body.email);
    const params = body.provisioningParameters;
    assertCallingParameters(state, customer, chosen.names, params);

    const now = ctx.now();
    const personId = newWebexId('PEOPLE');
    const person: SimPerson = {
      id: personId,
      emails: [body.email],
      orgId: customer.orgId,
      firstName: params.firstName,
      lastName: params.lastName,
      displayName: [params.firstName, params.lastName].filter(Boolean).join(' ') || body.email,
      extension: params.extension,
      primaryPhoneNumber: params.primaryPhoneNumber,
      locationId: params.locationId,
      createdAt: now,
    };
    // The owner of an existing Webex account joins the customer's org only when they accept the move.
    const existingAccount = state.existingAccounts.has(body.email.toLowerCase());
    if (!existingAccount) state.people.set(personId, person);
    const immediate = settings.subscriberProvisioningMs === 0;
    const subscriber: SimSubscriber = {
      id: newWebexId('SUBSCRIBER'),
      customerId: customer.id,
      email: body.email,
      packages: chosen.names,
      provisioningParameters: params,
      personId,
      status: 'provisioning',
      ...(existingAccount ? { pendingPerson: person } : {}),
      busyUntil: now + settings.subscriberProvisioningMs,
      createdAt: now,
      lastStatusChange: now,
    };
    if (immediate) finishSubscriber(state, subscriber, now);
    state.subscribers.set(subscriber.id, subscriber);
    res
      .status(subscriber.status === 'provisioning' ? 202 : 200)
      .location(`${apiBaseUrl(req)}/wholesale/subscribers/${subscriber.id}`)
      .json(subscriberJson(state, subscriber));
  });

  router.get('/wholesale/subscribers/:subscriberId', (req, res) => {
    res.json(subscriberJson(state, requireSubscriber(state, req.params.subscriberId)));
  });

  router.put('/wholesale/subscribers/:subscriberId', (req, res) => {
    const subscriber = requireSubscriber(state, req.params.subscriberId);
    const body = parseBody(subscriberUpdateBody, req.body);
    const chosen = packagesOf(res, body);
    assertUpdatable(subscriber);
    const customer = requireProvisionedCustomer(state, subscriber.customerId);
    assertCustomerHasPackages(customer, chosen.names);
    const params = { ...subscriber.provisioningParameters, ...body.provisioningParameters };
    assertCallingParameters(state, customer, chosen.names, params, subscriber.personId);

    subscriber.packages = chosen.names;
    subscriber.provisioningParameters = params;
    const person = state.people.get(subscriber.personId);
    if (person) Object.assign(person, { extension: params.extension, primaryPhoneNumber: params.primaryPhoneNumber, locationId: params.locationId });
    res
      .location(`${apiBaseUrl(req)}/wholesale/subscribers/${subscriber.id}`)
      .json(subscriberJson(state, subscriber));
  });

  /** Sends Webex's invitation to move an existing account again; only a subscriber waiting for that consent has one. */
  router.post('/subscribers/:subscriberId/emails/consentMove', (req, res) => {
    const subscriber = requireSubscriber(state, req.params.subscriberId);
    if (subscriber.status !== 'pending_user_migration') throw new WebexHttpError(409, `The subscriber is ${subscriber.status}, not pending_user_migration.`);
    const email = subscriber.email.toLowerCase();
    state.invitations.set(email, [...(state.invitations.get(email) ?? []), ctx.now()]);
    res.status(204).end();
  });

  /** Like Webex, removing the subscriber mapping leaves the person (and its extension) in place. */
  router.delete('/wholesale/subscribers/:subscriberId', (req, res) => {
    state.subscribers.delete(requireSubscriber(state, req.params.subscriberId).id);
    res.status(204).end();
  });

  return router;
}
