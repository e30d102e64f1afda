import { Router, type Response } from 'express';
import { parseBody } from './bodies';
import type { SimContext } from './context';
import { WebexHttpError, apiBaseUrl } from './http';
import { newWebexId } from './ids';
import { queryString, sendPage } from './pagination';
import { markDeprecatedPackageField } from './recording';
import type { SimSubscriber, WebexSimState } from './state';
import {
  assertCallingParameters,
  assertCustomerHasPackage,
  assertEmailAvailable,
  choosePackage,
  newSubscriberBody,
  requireProvisionedCustomer,
  subscriberPrecheckBody,
  subscriberUpdateBody,
  type ChosenPackage,
} from './subscriberRules';
import { subscriberJson } from './views';

const PRECHECK_SUCCESS = { message: 'success', info: { infoCode: 100, description: 'Provisioning Precheck validation successful.' } };

function requireSubscriber(state: WebexSimState, subscriberId: string): SimSubscriber {
  const subscriber = state.subscribers.get(subscriberId);
  if (!subscriber) throw new WebexHttpError(404, 'Subscriber not found.');
  return subscriber;
}

/** Picks the package and notes use of the deprecated field on the recorded call, so tests can catch it. */
function packageOf(res: Response, body: { package?: string; packages?: string[] }): ChosenPackage {
  const chosen = choosePackage(body);
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
    const chosen = packageOf(res, body);
    assertEmailAvailable(state, body.email);
    if (body.customerId !== undefined) {
      const customer = requireProvisionedCustomer(state, body.customerId);
      assertCustomerHasPackage(customer, chosen.name);
      if (body.provisioningParameters) assertCallingParameters(state, customer, chosen.name, body.provisioningParameters);
    }
    res.json(PRECHECK_SUCCESS);
  });

  router.post('/wholesale/subscribers', (req, res) => {
    const body = parseBody(newSubscriberBody, req.body);
    const chosen = packageOf(res, body);
    const customer = requireProvisionedCustomer(state, body.customerId);
    assertCustomerHasPackage(customer, chosen.name);
    assertEmailAvailable(state, body.email);
    const params = body.provisioningParameters;
    assertCallingParameters(state, customer, chosen.name, params);

    const now = ctx.now();
    const personId = newWebexId('PEOPLE');
    state.people.set(personId, {
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
    });
    const immediate = settings.subscriberProvisioningMs === 0;
    const subscriber: SimSubscriber = {
      id: newWebexId('SUBSCRIBER'),
      customerId: customer.id,
      email: body.email,
      packages: [chosen.name],
      provisioningParameters: params,
      personId,
      status: immediate ? 'provisioned' : 'provisioning',
      busyUntil: now + settings.subscriberProvisioningMs,
      createdAt: now,
      lastStatusChange: now,
    };
    state.subscribers.set(subscriber.id, subscriber);
    res
      .status(immediate ? 200 : 202)
      .location(`${apiBaseUrl(req)}/wholesale/subscribers/${subscriber.id}`)
      .json(subscriberJson(state, subscriber));
  });

  router.get('/wholesale/subscribers/:subscriberId', (req, res) => {
    res.json(subscriberJson(state, requireSubscriber(state, req.params.subscriberId)));
  });

  router.put('/wholesale/subscribers/:subscriberId', (req, res) => {
    const subscriber = requireSubscriber(state, req.params.subscriberId);
    const body = parseBody(subscriberUpdateBody, req.body);
    const chosen = packageOf(res, body);
    const customer = requireProvisionedCustomer(state, subscriber.customerId);
    assertCustomerHasPackage(customer, chosen.name);
    const params = { ...subscriber.provisioningParameters, ...body.provisioningParameters };
    assertCallingParameters(state, customer, chosen.name, params, subscriber.personId);

    subscriber.packages = [chosen.name];
    subscriber.provisioningParameters = params;
    const person = state.people.get(subscriber.personId);
    if (person) Object.assign(person, { extension: params.extension, primaryPhoneNumber: params.primaryPhoneNumber, locationId: params.locationId });
    res
      .location(`${apiBaseUrl(req)}/wholesale/subscribers/${subscriber.id}`)
      .json(subscriberJson(state, subscriber));
  });

  /** Like Webex, removing the subscriber mapping leaves the person (and its extension) in place. */
  router.delete('/wholesale/subscribers/:subscriberId', (req, res) => {
    state.subscribers.delete(requireSubscriber(state, req.params.subscriberId).id);
    res.status(204).end();
  });

  return router;
}
