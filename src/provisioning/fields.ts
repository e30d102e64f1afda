import { ProvisioningError } from './errors';

/** The event schema already demands these fields per type; this keeps the types honest without `!`. */
export function required<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined || value === '') throw new ProvisioningError('INVALID_RESPONSE', `event field ${field} is required`);
  return value;
}
