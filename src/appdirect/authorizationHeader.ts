/** Splits `Authorization: <scheme> <credentials>`; the scheme is case-insensitive (RFC 9110 §11.1). */
export function splitAuthorization(header: string | undefined): { scheme: string; credentials: string } | undefined {
  const match = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\s+(.*))?$/s.exec(header ?? '');
  if (!match) return undefined;
  return { scheme: match[1].toLowerCase(), credentials: (match[2] ?? '').trim() };
}

/** Decodes `Basic base64(user:password)`; the user part cannot contain a colon, the password can. */
export function decodeBasicCredentials(credentials: string): { user: string; password: string } | undefined {
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
