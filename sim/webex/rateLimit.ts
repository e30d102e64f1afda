import type { RequestHandler } from 'express';
import type { SimContext } from './context';
import { sendWebexError } from './http';

/**
 * Webex answers 429 with Retry-After when a partner calls faster than it allows. The sim admits calls from
 * a token bucket that refills `rateLimitPerSecond` tokens a second and holds at most one second's worth,
 * so over any stretch of time it admits the allowance and no more, and a short lull is not held against
 * the client. Refused calls take no token. Retry-After is in whole seconds, so it is at least 1.
 */
export function limitRate(ctx: SimContext): RequestHandler {
  // Starts full: the first request clamps it to one second's allowance.
  let tokens = Number.POSITIVE_INFINITY;
  let refilledAt = ctx.now();
  return (_req, res, next) => {
    const perSecond = ctx.settings.rateLimitPerSecond;
    if (perSecond <= 0) return next();
    const now = ctx.now();
    tokens = Math.min(perSecond, tokens + ((now - refilledAt) / 1000) * perSecond);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return next();
    }
    res.setHeader('Retry-After', String(Math.ceil((1 - tokens) / perSecond)));
    sendWebexError(res, 429, 'Too Many Requests: the request has been rate limited.');
  };
}
