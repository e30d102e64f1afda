import type { RecordedCall } from '../sim/webex';
import { queryText, shortId, shortPath } from './ids';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const plural = (n: number, noun: string, nouns = `${noun}s`) => `${n} ${n === 1 ? noun : nouns}`;

/** What the lists the connector reads hold, in words. */
const LISTED: Record<string, [string, string]> = {
  '/wholesale/subscribers': ['subscriber', 'subscribers'],
  '/locations': ['location', 'locations'],
  '/people': ['person', 'people'],
};

const isCustomerPath = (path: string) => path.startsWith('/wholesale/customers') && !path.endsWith('/validate');
const isSubscriberPath = (path: string) => path.startsWith('/wholesale/subscribers') && !path.endsWith('/validate');

/** The request fields that matter to the story: who, which packages, which extension. */
function sentFields(body: unknown, shorten: boolean): string {
  const b = asObject(body);
  if (!b) return '';
  const params = asObject(b.provisioningParameters);
  const customer = asObject(b.customerInfo);
  const extensions = Array.isArray(b.extensions) ? b.extensions : undefined;
  const location = text(params?.locationId);
  const parts = [
    text(customer?.name),
    text(b.email),
    Array.isArray(b.packages) && `packages ${b.packages.join(', ')}`,
    text(params?.extension) && `ext ${String(params?.extension)}`,
    location && `location ${shorten ? shortId(location) : location}`,
    extensions && `${plural(extensions.length, 'candidate extension')}`,
  ];
  const shown = parts.filter(Boolean).join(', ');
  return shown ? ` (${shown})` : '';
}

/** What Webex's answer says, in words: a status, how many were found, or that something was removed. */
function answerSummary(call: RecordedCall): string {
  if (call.status === 0) return 'connection reset';
  if (call.method === 'DELETE' && call.status < 300) return `${call.status}, removed`;
  const body = asObject(call.responseBody);
  const items = Array.isArray(body?.items) ? (body?.items as unknown[]) : undefined;
  if (items && isCustomerPath(call.path)) {
    const status = text(asObject(items[0])?.status);
    return `${call.status}, ${status ? `customer ${status}` : 'no customer yet'}`;
  }
  if (items) return `${call.status}, ${plural(items.length, ...(LISTED[call.path] ?? ['item', 'items']))}`;
  const status = text(body?.status);
  if (status && isCustomerPath(call.path)) return `${call.status}, customer ${status}`;
  if (status && isSubscriberPath(call.path)) return `${call.status}, subscriber ${status}`;
  if (status) return `${call.status}, ${status}`;
  return String(call.status);
}

/** One Webex exchange as a line: method, path, the fields that matter, and the answer. */
export function describeWebexCall(call: RecordedCall, shorten: boolean): string {
  const path = shorten ? shortPath(call.path) : call.path;
  return `${call.method} ${path}${queryText(call.query, shorten)}${sentFields(call.requestBody, shorten)} → ${answerSummary(call)}`;
}

interface SubscriberSeen {
  email?: string;
  statuses: string[];
  packages: string[];
  /** Created, changed or removed in this step, not only listed. */
  touched: boolean;
}

/**
 * How the customer's and each subscriber's status moved during a step, as Webex reported it in its answers:
 * e.g. "customer: none → provisioning → provisioned", "subscriber ada@…: provisioned; packages a → b".
 */
export function statusTrail(calls: RecordedCall[]): string[] {
  const customer: string[] = [];
  const subscribers = new Map<string, SubscriberSeen>();
  const noteOnce = (trail: string[], value: string) => {
    if (trail.at(-1) !== value) trail.push(value);
  };
  const see = (id: string, touched: boolean, status: string, item?: Json) => {
    const seen = subscribers.get(id) ?? { statuses: [], packages: [], touched: false };
    subscribers.set(id, seen);
    seen.touched ||= touched;
    seen.email ??= text(item?.email);
    noteOnce(seen.statuses, status);
    if (Array.isArray(item?.packages)) noteOnce(seen.packages, item.packages.join(', '));
  };

  for (const call of calls) {
    const body = asObject(call.responseBody);
    const items = Array.isArray(body?.items) ? (body.items as unknown[]).map(asObject) : undefined;
    if (isCustomerPath(call.path) && call.method === 'GET') {
      noteOnce(customer, text(items ? items[0]?.status : body?.status) ?? 'none');
    } else if (isSubscriberPath(call.path) && call.method === 'DELETE' && call.status < 300) {
      see(call.path.split('/').pop()!, true, 'removed');
    } else if (isSubscriberPath(call.path)) {
      for (const item of items ?? [body]) {
        if (text(item?.id) && text(item?.status)) see(item!.id as string, call.method !== 'GET', item!.status as string, item);
      }
    }
  }
  const lines = customer.length > 1 ? [`customer: ${customer.join(' → ')}`] : [];
  for (const [id, seen] of subscribers) {
    if (!seen.touched && seen.statuses.length < 2) continue;
    const packages = seen.packages.length > 1 ? `; packages ${seen.packages.join(' → ')}` : '';
    lines.push(`subscriber ${seen.email ?? shortId(id)}: ${seen.statuses.join(' → ')}${packages}`);
  }
  return lines;
}
