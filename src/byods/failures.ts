import { WebexApiError, WebexCredentialsError, WebexResponseShapeError } from '../webex/errors';
import { OperationFailed } from './operations';

export const DATA_SOURCE_SCOPES = 'spark-admin:datasource_read and spark-admin:datasource_write';

/** A failure that already reads well as one line (bad configuration, a refused service app token). */
export class ExplainedError extends Error {
  readonly name = 'ExplainedError';
}

/**
 * One line that tells a person what went wrong and what to do, with Webex's own words and the
 * tracking ID that Cisco support asks for. Never a stack trace, never a token.
 */
export function describeFailure(err: unknown, prog = 'byods'): string {
  // A failed operation carries the real failure as `cause`.
  const cause = err instanceof OperationFailed ? err.cause : err;
  if (cause instanceof WebexCredentialsError) {
    return cause.details.renew === 'access_token' ? `${cause.message} byods needs a service app token with the scopes ${DATA_SOURCE_SCOPES}.` : cause.message;
  }
  if (cause instanceof WebexApiError) return describeWebexError(cause, prog);
  if (cause instanceof WebexResponseShapeError) return `${cause.message}${trackingNote(cause.trackingId)}`;
  return cause instanceof Error ? cause.message : String(cause);
}

function describeWebexError(err: WebexApiError, prog: string): string {
  const status = err.status;
  const said = err.details.webexMessage ? `: ${err.details.webexMessage}` : '';
  const tracking = trackingNote(err.trackingId);
  if (status === undefined) return `Could not reach Webex (${err.message}). Check the network and WEBEX_API_BASE_URL.`;
  if (status === 401) return `Webex rejected the access token (401${said})${tracking}, a new one too. byods needs a service app token with the scopes ${DATA_SOURCE_SCOPES}.`;
  if (status === 403) return `Webex refused the call (403${said})${tracking}. The service app needs the scopes ${DATA_SOURCE_SCOPES}.`;
  const missingId = status === 404 ? dataSourceIdIn(err.details.path) : undefined;
  if (missingId) return `Data source ${missingId} does not exist (404)${tracking}; it may have been deleted. Run "${prog} list" to see the current ones.`;
  if (status === 429 || status === 423) return `Webex is still rate limiting after several waits (${status})${tracking}. Try again later.`;
  return `Webex rejected ${err.details.method} ${err.details.path} (${status}${said})${tracking}.`;
}

function trackingNote(trackingId: string | undefined): string {
  return trackingId ? ` [tracking ID ${trackingId}]` : '';
}

function dataSourceIdIn(path: string): string | undefined {
  const match = /^\/dataSources\/([^/]+)$/.exec(path);
  return match && match[1] !== 'schemas' ? decodeURIComponent(match[1]) : undefined;
}
