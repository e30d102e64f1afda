import type { AppDirectErrorCode } from '../appdirect/results';

/** A definite business failure of an event, already phrased for AppDirect. */
export class ProvisioningError extends Error {
  readonly name = 'ProvisioningError';
  constructor(
    readonly code: AppDirectErrorCode,
    message: string,
    readonly trackingId?: string,
  ) {
    super(message);
  }
}
