import type { AxiosError } from 'axios';

/**
 * What went wrong talking to AppDirect, sorted by what the caller should do about it:
 * not_found — the event is gone, do not retry; transient — retry later (after retryAfterMs when given);
 * invalid_response — AppDirect answered something unusable; rejected — our request was refused, retrying will not help.
 */
export type AppDirectErrorKind = 'not_found' | 'transient' | 'invalid_response' | 'rejected';

export class AppDirectError extends Error {
  readonly kind: AppDirectErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(kind: AppDirectErrorKind, message: string, details: { status?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'AppDirectError';
    this.kind = kind;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }

  /**
   * Whether the same request may succeed later: AppDirect was unavailable, or it refused our credentials (an
   * operator can fix those without the event being lost). The one rule for reading events and posting results.
   */
  get retryable(): boolean {
    return this.kind === 'transient' || (this.kind === 'rejected' && (this.status === 401 || this.status === 403));
  }
}

/** Classifies a non-2xx answer. `action` says what was attempted, e.g. "fetching the event". */
export function errorForStatus(action: string, status: number, retryAfter: unknown, nowMs: number): AppDirectError {
  const answered = `${action} failed: AppDirect answered HTTP ${status}`;
  if (status === 404 || status === 410) return new AppDirectError('not_found', answered, { status });
  if (status === 429 || status >= 500) {
    return new AppDirectError('transient', answered, { status, retryAfterMs: retryAfterMs(retryAfter, nowMs) });
  }
  // Redirects are never followed: the Authorization header must not travel to wherever they point.
  if (status >= 300 && status < 400) return new AppDirectError('rejected', `${answered}, a redirect, which is not followed`, { status });
  return new AppDirectError('rejected', answered, { status });
}

/** A request that got no HTTP answer at all (timeout, reset, refused connection) is worth retrying. */
export function errorForNoAnswer(action: string, error: AxiosError, timeoutMs: number): AppDirectError {
  const timedOut = error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT';
  const what = timedOut ? `no answer within ${timeoutMs} ms` : `connection failed (${error.code ?? 'network error'})`;
  return new AppDirectError('transient', `${action} failed: ${what}`);
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(header: unknown, nowMs: number): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
