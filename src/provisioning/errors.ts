import type { AppDirectErrorCode } from '../appdirect/results';

/** A definite business failure of an event, already phrased for AppDirect. */
/** What the connector remembered of Webex turned out wrong: the attempt is repeated with fresh reads. */
export class StaleMemoryError extends Error {
  readonly name = 'StaleMemoryError';
}

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
