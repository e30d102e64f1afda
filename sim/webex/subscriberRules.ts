import { z } from 'zod';
import { isExtensionTaken, isWellFormedExtension } from './extensions';
import { WebexHttpError } from './http';
import { isCallingPackage } from '../../src/webex/packageRules';
import { BASE_SUBSCRIBER_PACKAGES, SINGULAR_SUBSCRIBER_PACKAGES, SUBSCRIBER_PACKAGES, unmetPackagePrerequisites } from './packages';
import { isCustomerProvisioned } from './provisioning';
import { isEmailInUse, type SimCustomer, type SimSubscriber, type SubscriberParameters, type WebexSimState } from './state';

const parameters = z.object({
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  primaryPhoneNumber: z.string().optional(),
  extension: z.string().optional(),
  locationId: z.string().optional(),
});

const packageChoice = {
  package: z.enum(SINGULAR_SUBSCRIBER_PACKAGES).optional(),
  packages: z.array(z.enum(SUBSCRIBER_PACKAGES)).optional(),
};

export const newSubscriberBody = z.object({
  customerId: z.string().min(1),
  email: z.email(),
  ...packageChoice,
  provisioningParameters: parameters,
});

export const subscriberUpdateBody = z.object({
  ...packageChoice,
  provisioningParameters: parameters.pick({ primaryPhoneNumber: true, extension: true, locationId: true }).optional(),
});

export const subscriberPrecheckBody = z.object({
  provisioningId: z.string().optional(),
  customerId: z.string().optional(),
  email: z.email(),
  ...packageChoice,
  provisioningParameters: parameters.optional(),
  customerInfo: z.object({ primaryEmail: z.email() }).optional(),
});

export interface ChosenPackages {
  /** The subscriber's complete list: its one base package first, then add-on packages. */
  names: string[];
  /** The request used the deprecated singular `package` field. */
  viaDeprecatedField: boolean;
}

/**
 * Spec: "Either packages or package field is required but not both", and `packages` is "the complete list" that
 * "currently accepts only one package". The same spec makes attendant_console, a subscriber package, dependent on
 * webex_calling, webex_suite or cx_essentials, which the subscriber must then hold as well: so the list holds
 * exactly one base package, plus add-on packages whose dependency that base package meets.
 */
export function choosePackages(body: { package?: string; packages?: string[] }): ChosenPackages {
  if (body.package !== undefined && body.packages !== undefined) {
    throw new WebexHttpError(400, 'Either packages or package is required, but not both.');
  }
  if (body.package !== undefined) return { names: [body.package], viaDeprecatedField: true };
  const names = [...new Set(body.packages ?? [])];
  const base = names.filter((name) => BASE_SUBSCRIBER_PACKAGES.includes(name));
  if (base.length !== 1) throw new WebexHttpError(400, 'packages must list exactly one package (add-on packages such as attendant_console come on top of it).');
  const unmet = unmetPackagePrerequisites(names);
  if (unmet.length) throw new WebexHttpError(400, 'Package dependencies are not met.', unmet.map((description) => ({ description })));
  return { names: [base[0], ...names.filter((name) => name !== base[0])], viaDeprecatedField: false };
}

export function requireProvisionedCustomer(state: WebexSimState, customerId: string): SimCustomer {
  const customer = state.customers.get(customerId);
  if (!customer) throw new WebexHttpError(404, 'Customer not found.');
  if (!isCustomerProvisioned(customer)) {
    throw new WebexHttpError(400, `The customer is not provisioned (status ${customer.status}).`);
  }
  return customer;
}

/** A subscriber's licenses come from the customer's packages, so the customer must hold each of them. */
export function assertCustomerHasPackages(customer: SimCustomer, packageNames: readonly string[]): void {
  const missing = packageNames.find((name) => !customer.packages.includes(name));
  if (missing) throw new WebexHttpError(400, `Package ${missing} is not provisioned for this customer.`);
}

/** Spec: "Updates certain details of a provisioned Wholesale subscriber": one waiting for its user's consent has none yet. */
export function assertUpdatable(subscriber: SimSubscriber): void {
  if (subscriber.status === 'pending_user_migration') throw new WebexHttpError(409, 'The subscriber is pending_user_migration; it can be updated once its user has accepted the move.');
}

export function assertEmailAvailable(state: WebexSimState, email: string): void {
  if (isEmailInUse(state, email)) {
    throw new WebexHttpError(409, 'The email is already associated with an existing user.', [
      { errorCode: 10022, description: 'The email is already associated with an existing user.' },
    ]);
  }
}

/**
 * Calling packages need a number or extension, and a location of the customer's org; an extension must be
 * well formed and free at that location (`exceptPersonId`: the person being updated keeps its own).
 */
export function assertCallingParameters(
  state: WebexSimState,
  customer: SimCustomer,
  packageNames: readonly string[],
  params: SubscriberParameters,
  exceptPersonId?: string,
): void {
  const calling = packageNames.find(isCallingPackage);
  if (!calling) return;
  const { extension, primaryPhoneNumber, locationId } = params;
  if (!extension && !primaryPhoneNumber) {
    throw new WebexHttpError(400, `Package ${calling} needs an extension or a primaryPhoneNumber.`);
  }
  if (!locationId) throw new WebexHttpError(400, `Package ${calling} needs a locationId.`);
  if (state.locations.get(locationId)?.orgId !== customer.orgId) {
    throw new WebexHttpError(400, 'The locationId does not belong to the customer organization.');
  }
  if (primaryPhoneNumber !== undefined && !/^\+[1-9]\d{6,14}$/.test(primaryPhoneNumber)) {
    throw new WebexHttpError(400, 'primaryPhoneNumber must be an E.164 number.');
  }
  if (extension === undefined) return;
  if (!isWellFormedExtension(extension)) throw new WebexHttpError(400, 'The extension must be 2 to 6 digits.');
  if (isExtensionTaken(state, locationId, extension, exceptPersonId)) {
    throw new WebexHttpError(409, `Extension ${extension} is already in use at this location.`);
  }
}
