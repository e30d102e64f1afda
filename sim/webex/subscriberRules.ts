import { z } from 'zod';
import { isExtensionTaken, isWellFormedExtension } from './extensions';
import { WebexHttpError } from './http';
import { SINGULAR_SUBSCRIBER_PACKAGES, SUBSCRIBER_PACKAGES, isCallingPackage } from './packages';
import { isCustomerProvisioned } from './provisioning';
import { isEmailInUse, type SimCustomer, type SubscriberParameters, type WebexSimState } from './state';

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

export interface ChosenPackage {
  name: string;
  /** The request used the deprecated singular `package` field. */
  viaDeprecatedField: boolean;
}

/** Spec: "Either packages or package field is required but not both"; `packages` takes one package today. */
export function choosePackage(body: { package?: string; packages?: string[] }): ChosenPackage {
  if (body.package !== undefined && body.packages !== undefined) {
    throw new WebexHttpError(400, 'Either packages or package is required, but not both.');
  }
  if (body.package !== undefined) return { name: body.package, viaDeprecatedField: true };
  const [only, ...more] = body.packages ?? [];
  if (only === undefined || more.length > 0) throw new WebexHttpError(400, 'packages must list exactly one package.');
  return { name: only, viaDeprecatedField: false };
}

export function requireProvisionedCustomer(state: WebexSimState, customerId: string): SimCustomer {
  const customer = state.customers.get(customerId);
  if (!customer) throw new WebexHttpError(404, 'Customer not found.');
  if (!isCustomerProvisioned(customer)) {
    throw new WebexHttpError(400, `The customer is not provisioned (status ${customer.status}).`);
  }
  return customer;
}

/** A subscriber's license comes from the customer's packages, so the customer must hold that package. */
export function assertCustomerHasPackage(customer: SimCustomer, packageName: string): void {
  if (!customer.packages.includes(packageName)) {
    throw new WebexHttpError(400, `Package ${packageName} is not provisioned for this customer.`);
  }
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
  packageName: string,
  params: SubscriberParameters,
  exceptPersonId?: string,
): void {
  if (!isCallingPackage(packageName)) return;
  const { extension, primaryPhoneNumber, locationId } = params;
  if (!extension && !primaryPhoneNumber) {
    throw new WebexHttpError(400, `Package ${packageName} needs an extension or a primaryPhoneNumber.`);
  }
  if (!locationId) throw new WebexHttpError(400, `Package ${packageName} needs a locationId.`);
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
