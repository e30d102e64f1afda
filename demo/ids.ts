/**
 * Long identifiers shortened for the screen: Webex IDs are base64 of `ciscospark://us/KIND/uuid`, AppDirect
 * accounts and event tokens are UUIDs. The demo's log file keeps them whole.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The part of a Webex ID that tells it apart: the UUID inside, decoded. */
function webexIdUuid(value: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{40,}$/.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64url').toString('utf8');
  return /^ciscospark:\/\/[a-z]+\/[A-Z_]+\/(.+)$/.exec(decoded)?.[1];
}

/** A Webex ID or a UUID as its first 8 characters and an ellipsis; anything else (names, e-mails) as it is. */
export function shortId(value: string): string {
  const inner = webexIdUuid(value) ?? value;
  return UUID.test(inner) ? `${inner.slice(0, 8)}…` : value;
}

/** A path with every long segment shortened, e.g. /wholesale/subscribers/aa706b47… */
export function shortPath(path: string): string {
  return path
    .split('/')
    .map((segment) => shortId(segment))
    .join('/');
}

export function queryText(query: Record<string, string | string[]>, shorten: boolean): string {
  const entries = Object.entries(query).map(([key, value]) => {
    const text = Array.isArray(value) ? value.join(',') : value;
    return `${key}=${shorten ? shortId(text) : text}`;
  });
  return entries.length ? `?${entries.join('&')}` : '';
}
