import { isIPv6 } from 'node:net';

/**
 * Whom failed attempts are counted against: the caller's address as Express sees it (TRUST_PROXY decides whether
 * a proxy's X-Forwarded-For counts). IPv4 addresses count one by one; an IPv6 caller holds a whole /64 and could
 * otherwise start afresh from each of its addresses, so those count per /64.
 */
export function callerSource(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros; `::` filled in, a zone dropped. */
function expandIPv6(ip: string): string[] {
  const [head, tail] = ip.split('%')[0].split('::');
  const groupsOf = (part: string | undefined) => (part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : []);
  const before = groupsOf(head);
  const after = groupsOf(tail);
  const groups = tail === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return groups.map((group) => parseInt(group, 16).toString(16));
}
