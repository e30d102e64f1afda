import { z } from 'zod';

/**
 * The parts of Webex answers the connector relies on, checked at the boundary.
 * Unknown fields pass through: Webex adds fields over time and that must not break us.
 */

export const wholesaleAddress = z
  .object({
    addressLine1: z.string().optional(),
    addressLine2: z.string().optional(),
    city: z.string().optional(),
    stateOrProvince: z.string().optional(),
    zipOrPostalCode: z.string().optional(),
    country: z.string().optional(),
  })
  .passthrough();
export type WholesaleAddress = z.infer<typeof wholesaleAddress>;

const webexErrorItem = z.object({ errorCode: z.number().optional(), description: z.string().optional() }).passthrough();

export const customer = z
  .object({
    id: z.string(),
    orgId: z.string().optional(),
    externalId: z.string().optional(),
    address: wholesaleAddress.optional(),
    status: z.string(),
    packages: z.array(z.string()).optional(),
    resourceDetails: z
      .object({
        packages: z
          .array(z.object({ name: z.string(), status: z.string().optional(), warnings: z.array(webexErrorItem).optional(), errors: z.array(webexErrorItem).optional() }).passthrough())
          .optional(),
      })
      .passthrough()
      .optional(),
    errors: z.array(webexErrorItem).optional(),
  })
  .passthrough();
export type Customer = z.infer<typeof customer>;

export const subscriber = z
  .object({
    id: z.string(),
    personId: z.string().optional(),
    email: z.string().optional(),
    customerId: z.string().optional(),
    externalCustomerId: z.string().optional(),
    packages: z.array(z.string()).optional(),
    status: z.string().optional(),
    errors: z.array(webexErrorItem).optional(),
    /** When the status last changed (ISO 8601): how long a subscriber has been waiting. */
    lastStatusChange: z.string().optional(),
  })
  .passthrough();
export type Subscriber = z.infer<typeof subscriber>;

export const resourceUrl = z.object({ url: z.string() }).passthrough();

export const precheck = z.object({ message: z.string().optional() }).passthrough();

export const location = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    orgId: z.string().optional(),
    address: z
      .object({
        address1: z.string().optional(),
        address2: z.string().optional(),
        city: z.string().optional(),
        state: z.string().optional(),
        postalCode: z.string().optional(),
        country: z.string().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();
export type Location = z.infer<typeof location>;

export const extensionValidation = z
  .object({
    status: z.enum(['OK', 'ERRORS']),
    extensionStatus: z
      .array(z.object({ extension: z.string(), state: z.string(), errorCode: z.union([z.string(), z.number()]).optional(), message: z.string().optional() }).passthrough())
      .optional(),
  })
  .passthrough();

export const person = z
  .object({
    id: z.string(),
    emails: z.array(z.string()).optional(),
    orgId: z.string().optional(),
    displayName: z.string().optional(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    phoneNumbers: z.array(z.object({ type: z.string().optional(), value: z.string().optional() }).passthrough()).optional(),
  })
  .passthrough();
export type Person = z.infer<typeof person>;

export function webexErrorDescriptions(items: Array<{ description?: string }> | undefined): string | undefined {
  const texts = (items ?? []).map((e) => e.description).filter((d): d is string => !!d);
  return texts.length ? texts.join('; ') : undefined;
}
