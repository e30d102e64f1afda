/** The rules for values a person or a script gives byods, shared by flags and prompts. */

export const MAX_TOKEN_LIFETIME_MINUTES = 1440;
export const DEFAULT_TOKEN_LIFETIME_MINUTES = 1440;
export const DEFAULT_AUDIENCE = 'BYODS';
export const DEFAULT_SUBJECT = 'BYODS';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

export function parseDataSourceUrl(text: string): Parsed<string> {
  const trimmed = text.trim();
  if (!trimmed) return bad('a URL is required');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return bad(`"${trimmed}" is not a URL`);
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? ok(trimmed) : bad('the URL must start with http:// or https://');
}

export function parseTokenLifetime(text: string): Parsed<number> {
  const minutes = wholeNumber(text);
  if (minutes === undefined || minutes < 1 || minutes > MAX_TOKEN_LIFETIME_MINUTES) {
    return bad(`the token lifetime must be a whole number of minutes from 1 to ${MAX_TOKEN_LIFETIME_MINUTES}`);
  }
  return ok(minutes);
}

export function parseWindowMinutes(text: string): Parsed<number> {
  const minutes = wholeNumber(text);
  return minutes === undefined || minutes < 1 ? bad('--expiring-within must be a whole number of minutes, at least 1') : ok(minutes);
}

export function parseRequiredText(label: string): (text: string) => Parsed<string> {
  return (text) => (text.trim() ? ok(text.trim()) : bad(`${label} must not be empty`));
}

/** Webex only issues a new token when the nonce changes. */
export function parseNewNonce(currentNonce: string | undefined): (text: string) => Parsed<string> {
  return (text) => {
    const nonce = text.trim();
    if (!nonce) return bad('the nonce must not be empty');
    return nonce === currentNonce ? bad('the nonce must differ from the current one') : ok(nonce);
  };
}

function wholeNumber(text: string): number | undefined {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : undefined;
}
