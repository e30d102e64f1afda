export type EventUrlCheck = { ok: true; eventUrl: URL; token: string } | { ok: false; reason: string };

/** Where AppDirect keeps events, under the marketplace base URL; the event's token is the one segment after it. */
const EVENTS_PATH = '/api/integration/v1/events/';
/** One path segment of characters that need no encoding, so a token names exactly one URL and one journal record. */
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$/;

/**
 * Checks the eventUrl of a notification before any credential is sent to it. Only
 * `{BASE_URL_MARKETPLACE}/api/integration/v1/events/{token}` is accepted: the connector's AppDirect credentials
 * must only ever read events of the configured marketplace, never another of its paths or another host.
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
  // The href keeps an empty "?" or "#", which search and hash do not show.
  if (eventUrl.href.includes('?') || eventUrl.href.includes('#')) {
    return { ok: false, reason: 'eventUrl must not carry a query or a fragment' };
  }
  const eventsPath = `${marketplace.pathname.replace(/\/+$/, '')}${EVENTS_PATH}`;
  if (!eventUrl.pathname.startsWith(eventsPath)) {
    return { ok: false, reason: `eventUrl must be an event of the marketplace: ${marketplace.origin}${eventsPath}{token}` };
  }
  const token = eventUrl.pathname.slice(eventsPath.length);
  if (!TOKEN.test(token)) {
    return { ok: false, reason: 'the event token in eventUrl must be one path segment of letters, digits, ".", "_", "~" or "-"' };
  }
  return { ok: true, eventUrl: new URL(`${marketplace.origin}${eventsPath}${token}`), token };
}

/** Where the asynchronous result of the event with this token is posted. */
export function resultUrlFor(marketplaceBaseUrl: string, token: string): string {
  const base = marketplaceBaseUrl.replace(/\/+$/, '');
  return `${base}${EVENTS_PATH}${encodeURIComponent(token)}/result`;
}
