export type EventUrlCheck = { ok: true; eventUrl: URL; token: string } | { ok: false; reason: string };

/**
 * Checks the eventUrl of a notification before any credential is sent to it: the connector's AppDirect
 * credentials must only ever go to the configured marketplace, whatever host the notification names.
 */
export function parseEventUrl(raw: unknown, marketplaceBaseUrl: string): EventUrlCheck {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'eventUrl is required' };

  let eventUrl: URL;
  try {
    eventUrl = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'eventUrl is not a valid absolute URL' };
  }
  if (eventUrl.protocol !== 'https:' && eventUrl.protocol !== 'http:') {
    return { ok: false, reason: 'eventUrl must be an http or https URL' };
  }
  // Embedded credentials would be sent as Basic auth by HTTP clients, next to our own Authorization.
  if (eventUrl.username !== '' || eventUrl.password !== '') {
    return { ok: false, reason: 'eventUrl must not contain credentials' };
  }

  const marketplace = new URL(marketplaceBaseUrl);
  // URL.origin is lower-cased and drops default ports, so https://X.example:443 equals https://x.example.
  if (eventUrl.origin !== marketplace.origin) {
    return {
      ok: false,
      reason: `eventUrl must point at the configured marketplace ${marketplace.origin} (got ${eventUrl.origin})`,
    };
  }

  const token = lastPathSegment(eventUrl);
  if (token === undefined) return { ok: false, reason: 'eventUrl has no event token at the end of its path' };
  return { ok: true, eventUrl, token };
}

/** Where the asynchronous result of the event with this token is posted. */
export function resultUrlFor(marketplaceBaseUrl: string, token: string): string {
  const base = marketplaceBaseUrl.replace(/\/+$/, '');
  return `${base}/api/integration/v1/events/${encodeURIComponent(token)}/result`;
}

function lastPathSegment(url: URL): string | undefined {
  const segment = url.pathname.split('/').filter((part) => part !== '').pop();
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
