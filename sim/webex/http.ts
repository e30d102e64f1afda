import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { SimContext } from './context';
import { newTrackingId } from './ids';

/** One entry of a Webex error body; wholesale errors also carry a numeric code. */
export interface WebexErrorDetail {
  description: string;
  errorCode?: number;
}

/** Thrown by route handlers; the error handler turns it into a Webex-style error answer. */
export class WebexHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: WebexErrorDetail[] = [{ description: message }],
  ) {
    super(message);
  }
}

export function trackingIdOf(res: Response): string {
  return String(res.locals.trackingId);
}

/** Webex error body: `{ message, errors: [{ description }], trackingId }`. */
export function sendWebexError(res: Response, status: number, message: string, details?: WebexErrorDetail[]): void {
  res.status(status).json({ message, errors: details ?? [{ description: message }], trackingId: trackingIdOf(res) });
}

/** Every Webex answer carries a `trackingid` header; error bodies repeat it. */
export const assignTrackingId: RequestHandler = (_req, res, next) => {
  res.locals.trackingId = newTrackingId();
  res.setHeader('trackingid', res.locals.trackingId);
  next();
};

const UNAUTHORIZED_MESSAGE = 'The request requires a valid access token set in the Authorization request header.';

/** The static token (unless revoked) or an access token the OAuth endpoints issued that is neither expired nor revoked. */
export function requireBearerToken(ctx: Pick<SimContext, 'settings' | 'oauth'>): RequestHandler {
  return (req, res, next) => {
    const [scheme, presented = ''] = (req.get('authorization') ?? '').split(' ');
    const state = ctx.oauth.accessTokenState(presented);
    const accepted = state === 'valid' || (state === 'unknown' && presented === ctx.settings.token);
    if (scheme?.toLowerCase() === 'bearer' && accepted) return next();
    sendWebexError(res, 401, UNAUTHORIZED_MESSAGE);
  };
}

/** Absolute base URL of the API as the caller reached it, for `Location` headers and `url` fields. */
export function apiBaseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}/v1`;
}

export function delayBy(latencyMs: () => number): RequestHandler {
  return (_req, _res, next) => {
    const ms = latencyMs();
    if (ms > 0) setTimeout(next, ms);
    else next();
  };
}

export const answerNotFound: RequestHandler = (req, res) => {
  sendWebexError(res, 404, `The requested resource could not be found: ${req.method} ${req.path}`);
};

/** Malformed JSON comes from express.json() as an error with `type: 'entity.parse.failed'`. */
function isBodyParseError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.parse.failed';
}

export const handleErrors: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (err instanceof WebexHttpError) return sendWebexError(res, err.status, err.message, err.details);
  if (isBodyParseError(err)) return sendWebexError(res, 400, 'The request body is not valid JSON.');
  sendWebexError(res, 500, `Simulator failure: ${err instanceof Error ? err.message : String(err)}`);
};
