import type { Request } from 'express';

/**
 * Why a state-changing request does not come from a page of this server, as far as the browser tells; undefined
 * when it does. A SameSite cookie alone would let a sibling subdomain (the same site, another origin) post in the
 * operator's name. Browsers send Sec-Fetch-Site and Origin with every POST; a client that sends neither is not a
 * browser, and still needs the session's CSRF token.
 */
export function crossOriginReason(req: Request): string | undefined {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return `the browser says it was sent from a ${site} page`;
  const origin = req.get('origin');
  if (origin === undefined) return undefined;
  // The host, port included, that the browser showed; req.host is what it asked for (X-Forwarded-Host when a trusted proxy says so).
  const originHost = URL.canParse(origin) ? new URL(origin).host : undefined;
  return originHost !== undefined && originHost === req.host ? undefined : `it was sent from another origin (${origin === 'null' ? 'an opaque one' : 'not this server'})`;
}
