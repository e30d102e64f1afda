import { z } from 'zod';

/** The error codes AppDirect understands in a result; anything else is shown to the customer as a failure of the integration itself. */
export const APPDIRECT_ERROR_CODES = [
  'USER_ALREADY_EXISTS',
  'USER_NOT_FOUND',
  'ACCOUNT_NOT_FOUND',
  'MAX_USERS_REACHED',
  'UNAUTHORIZED',
  'INVALID_OPERATION',
  'OPERATION_CANCELLED',
  'CONFIGURATION_ERROR',
  'PENDING',
  'INVALID_RESPONSE',
  'TRANSPORT_ERROR',
  'UNKNOWN_ERROR',
  'NOT_FOUND',
] as const;

export type AppDirectErrorCode = (typeof APPDIRECT_ERROR_CODES)[number];

export type AppDirectResult =
  | { success: true; accountIdentifier?: string; userIdentifier?: string; message?: string }
  | { success: false; errorCode: AppDirectErrorCode; message: string };

export function success(details: { accountIdentifier?: string; userIdentifier?: string; message?: string } = {}): AppDirectResult {
  // Only the fields that carry a value, so the JSON sent to AppDirect has no empty keys.
  const defined = Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
  return { success: true, ...defined };
}

export function failure(errorCode: AppDirectErrorCode, message: string): AppDirectResult {
  return { success: false, errorCode, message };
}

/** One line for timelines, lists and logs. */
export function describeResult(result: AppDirectResult): string {
  return result.success ? `success${result.message ? `: ${result.message}` : ''}` : `${result.errorCode}: ${result.message}`;
}

export const appDirectResultSchema = z.discriminatedUnion('success', [
  z.strictObject({
    success: z.literal(true),
    accountIdentifier: z.string().min(1).optional(),
    userIdentifier: z.string().min(1).optional(),
    message: z.string().optional(),
  }),
  z.strictObject({
    success: z.literal(false),
    errorCode: z.enum(APPDIRECT_ERROR_CODES),
    message: z.string().min(1),
  }),
]);
