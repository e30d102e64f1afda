import { formatTable, formatTimeLeft, maskNonce } from '../../src/byods/format';
import { decodeClaims } from '../../src/byods/jwt';
import { parseDataSourceUrl, parseTokenLifetime } from '../../src/byods/validation';

const now = new Date('2025-01-01T12:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

test('time left reads as hours and minutes, minutes, seconds or EXPIRED', () => {
  expect(formatTimeLeft(later(5 * 3600 + 12 * 60 + 59), now)).toBe('5h 12m');
  expect(formatTimeLeft(later(3600), now)).toBe('1h 0m');
  expect(formatTimeLeft(later(12 * 60 + 5), now)).toBe('12m');
  expect(formatTimeLeft(later(40), now)).toBe('40s');
  expect(formatTimeLeft(later(0), now)).toBe('EXPIRED');
  expect(formatTimeLeft(later(-300), now)).toBe('EXPIRED');
  expect(formatTimeLeft(undefined, now)).toBe('unknown');
});

test('a nonce shows its first and last 8 characters; a short one is hidden entirely', () => {
  expect(maskNonce('0123456789abcdef-tail-XYZ98765')).toBe('01234567...XYZ98765');
  expect(maskNonce('short-nonce')).toBe('******** (11 characters)');
  expect(maskNonce(undefined)).toBe('(none)');
});

test('tables align columns to the widest cell', () => {
  expect(formatTable(['#', 'Name'], [['1', 'alpha'], ['10', 'b']])).toBe('#   Name\n--  -----\n1   alpha\n10  b');
});

test('claims are decoded without verification; anything else is undefined', () => {
  const payload = Buffer.from(JSON.stringify({ aud: 'A', sub: 'S', exp: 1700000000 })).toString('base64url');
  expect(decodeClaims(`header.${payload}.not-a-real-signature`)).toEqual({ aud: 'A', sub: 'S', exp: 1700000000 });
  expect(decodeClaims('not-a-jws')).toBeUndefined();
  expect(decodeClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`)).toBeUndefined();
  expect(decodeClaims('a.%%%.c')).toBeUndefined();
  expect(decodeClaims(undefined)).toBeUndefined();
});

test('URLs must be http(s); lifetimes whole minutes from 1 to 1440', () => {
  expect(parseDataSourceUrl(' https://dap.example.com/x ')).toEqual({ ok: true, value: 'https://dap.example.com/x' });
  expect(parseDataSourceUrl('')).toEqual({ ok: false, reason: 'a URL is required' });
  expect(parseDataSourceUrl('mailto:x@example.com').ok).toBe(false);
  expect(parseTokenLifetime('1440')).toEqual({ ok: true, value: 1440 });
  for (const bad of ['0', '1441', '1.5', '-3', 'ten', '']) expect(parseTokenLifetime(bad).ok).toBe(false);
});
