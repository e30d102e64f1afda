import { z } from 'zod';
import { WebexHttpError } from './http';
import { CUSTOMER_PACKAGES, unmetPackagePrerequisites } from './packages';

/** The spec limits each address line to 50 characters and wants an ISO-2 country. */
const addressLine = z.string().min(1).max(50, 'Address lines are limited to 50 characters.');

const address = z.object({
  addressLine1: addressLine,
  addressLine2: z.string().max(50, 'Address lines are limited to 50 characters.').optional(),
  city: z.string().min(1),
  stateOrProvince: z.string().optional(),
  zipOrPostalCode: z.string().optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'country must be an ISO 3166 alpha-2 code.')
    .transform((c) => c.toUpperCase()),
});

const callingLocation = z.object({
  name: z.string().min(1),
  address,
  timezone: z.string().min(1),
  language: z.string().min(1),
  emergencyLocationIdentifier: z.string().optional(),
});

const provisioningParameters = z.object({
  calling: z.object({ location: callingLocation }).optional(),
  meetings: z.object({ timezone: z.string().optional() }).optional(),
  packages: z.object({ limits: z.record(z.string(), z.number()).optional() }).optional(),
});

const packages = z.array(z.enum(CUSTOMER_PACKAGES)).min(1);

export const newCustomerBody = z.object({
  provisioningId: z.string().min(1),
  packages,
  orgId: z.string().optional(),
  externalId: z.string().min(1),
  address,
  customerInfo: z
    .object({
      name: z.string().min(1).refine((n) => !n.includes('%'), 'name cannot include the "%" character.'),
      primaryEmail: z.email(),
      language: z.string().optional(),
    })
    .optional(),
  provisioningParameters: provisioningParameters.optional(),
  subPartnerAdminEmail: z.string().optional(),
});

export const customerPrecheckBody = z.object({
  provisioningId: z.string().optional(),
  packages: packages.optional(),
  orgId: z.string().optional(),
  externalId: z.string().optional(),
  address,
  customerInfo: z.object({ name: z.string().optional(), primaryEmail: z.email() }).optional(),
  provisioningParameters: provisioningParameters.optional(),
});

export const customerUpdateBody = z.object({
  externalId: z.string().min(1).optional(),
  packages,
  address: address.optional(),
  provisioningParameters: provisioningParameters.optional(),
  subPartnerAdminEmail: z.string().optional(),
});

export function assertPackagePrerequisites(list: readonly string[]): void {
  const problems = unmetPackagePrerequisites(list);
  if (problems.length > 0) {
    throw new WebexHttpError(400, 'Package dependencies are not met.', problems.map((description) => ({ description })));
  }
}

/** Spec: customerInfo is "Mandatory for new customer. Optional if Organization ID is provided." */
export function assertCustomerInfoForNewOrg(body: { orgId?: string; customerInfo?: unknown }): void {
  if (!body.orgId && !body.customerInfo) {
    throw new WebexHttpError(400, 'customerInfo is mandatory for a new customer (no orgId given).');
  }
}
