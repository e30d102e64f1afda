import { AppDirectError } from '../appdirect/client';
import { AppDirectResult, failure } from '../appdirect/results';
import { WebexApiError, WebexResponseShapeError } from '../webex/errors';
import { ProvisioningError, StaleMemoryError } from './errors';

/** Either try again later, or end the event with this result. */
export type Verdict = { transient: true; message: string; retryAfterMs?: number } | { transient: false; result: AppDirectResult; message: string };

const withTracking = (message: string, trackingId?: string) => (trackingId ? `${message} (Webex tracking ID ${trackingId})` : message);

/**
 * The one place where anything that went wrong becomes an AppDirect error code. Messages carry
 * Webex's own description and tracking ID; never a stack trace or a credential.
 */
export function judge(err: unknown): Verdict {
  if (err instanceof StaleMemoryError) return { transient: true, message: err.message, retryAfterMs: 0 };
  if (err instanceof ProvisioningError) {
    const message = withTracking(err.message, err.trackingId);
    return { transient: false, result: failure(err.code, message), message };
  }
  if (err instanceof WebexApiError) {
    if (err.transient) return { transient: true, message: err.message, retryAfterMs: err.details.retryAfterMs };
    const code = err.status === 401 || err.status === 403 ? 'CONFIGURATION_ERROR' : err.status === 404 ? 'NOT_FOUND' : 'UNKNOWN_ERROR';
    return { transient: false, result: failure(code, err.message), message: err.message };
  }
  if (err instanceof WebexResponseShapeError) {
    const message = withTracking(err.message, err.trackingId);
    return { transient: false, result: failure('INVALID_RESPONSE', message), message };
  }
  if (err instanceof AppDirectError) {
    if (err.retryable) return { transient: true, message: err.message, retryAfterMs: err.retryAfterMs };
    switch (err.kind) {
      case 'not_found':
        return { transient: false, result: failure('NOT_FOUND', err.message), message: err.message };
      case 'invalid_response':
        return { transient: false, result: failure('INVALID_RESPONSE', err.message), message: err.message };
      default:
        return { transient: false, result: failure('CONFIGURATION_ERROR', err.message), message: err.message };
    }
  }
  const message = err instanceof Error ? `Unexpected error: ${err.message}` : 'Unexpected error';
  return { transient: false, result: failure('UNKNOWN_ERROR', message), message };
}

/** What a transient failure becomes once its retries are spent. */
export function exhausted(message: string, attempts: number): AppDirectResult {
  return failure('TRANSPORT_ERROR', `Gave up after ${attempts} attempts: ${message}`);
}
