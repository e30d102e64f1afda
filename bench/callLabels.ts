import type { RecordedCall } from '../sim/webex';

/** Webex endpoints by what the connector uses them for; path parameters are written `*`. */
const LABELS: Array<[method: string, path: RegExp, label: string]> = [
  ['GET', /^\/wholesale\/customers$/, 'find customer'],
  ['POST', /^\/wholesale\/customers\/validate$/, 'precheck customer'],
  ['POST', /^\/wholesale\/customers$/, 'create customer'],
  ['DELETE', /^\/wholesale\/customers\/[^/]+$/, 'delete customer'],
  ['POST', /^\/wholesale\/subscribers\/validate$/, 'precheck subscriber'],
  ['POST', /^\/wholesale\/subscribers$/, 'create subscriber'],
  ['GET', /^\/wholesale\/subscribers$/, 'list subscribers'],
  ['GET', /^\/wholesale\/subscribers\/[^/]+$/, 'subscriber status'],
  ['PUT', /^\/wholesale\/subscribers\/[^/]+$/, 'update subscriber'],
  ['DELETE', /^\/wholesale\/subscribers\/[^/]+$/, 'delete subscriber'],
  ['GET', /^\/locations$/, 'list locations'],
  ['POST', /^\/telephony\/config\/locations\/[^/]+\/actions\/validateExtensions\/invoke$/, 'check extensions'],
  ['GET', /^\/people$/, 'find person'],
  ['DELETE', /^\/people\/[^/]+$/, 'delete person'],
];

export function callLabel(call: Pick<RecordedCall, 'method' | 'path'>): string {
  return LABELS.find(([method, path]) => method === call.method && path.test(call.path))?.[2] ?? `${call.method} ${call.path}`;
}

/**
 * A status poll repeats a lookup because Webex was still provisioning: any "subscriber status", and a
 * "find customer" that is not the event's first call. Everything else is work the event needs.
 */
export function isStatusPoll(label: string, index: number): boolean {
  return label === 'subscriber status' || (label === 'find customer' && index > 0);
}

/** "a → b → b → c" becomes "a → b ×2 → c". */
export function sequenceOf(labels: readonly string[]): string {
  const runs: Array<{ label: string; times: number }> = [];
  for (const label of labels) {
    const last = runs[runs.length - 1];
    if (last?.label === label) last.times += 1;
    else runs.push({ label, times: 1 });
  }
  return runs.map((r) => (r.times > 1 ? `${r.label} ×${r.times}` : r.label)).join(' → ');
}
