import { z } from 'zod';

/** Event types this connector acts on; AppDirect sends others too (ADDON_*, USER_SYNC, …), which still parse. */
export const KNOWN_EVENT_TYPES = [
  'SUBSCRIPTION_ORDER',
  'SUBSCRIPTION_CHANGE',
  'SUBSCRIPTION_CANCEL',
  'SUBSCRIPTION_NOTICE',
  'USER_ASSIGNMENT',
  'USER_UNASSIGNMENT',
] as const;
export type EventType = (typeof KNOWN_EVENT_TYPES)[number];

// AppDirect sends null for absent values and adds fields over time, so every field is nullish and objects are loose.
const text = z.string().nullish();

const addressSchema = z.looseObject({
  firstName: text,
  lastName: text,
  phone: text,
  street1: text,
  street2: text,
  city: text,
  state: text,
  zip: text,
  country: text,
});

const personFields = {
  uuid: text,
  email: text,
  firstName: text,
  lastName: text,
  language: text,
  locale: text,
  address: addressSchema.nullish(),
};

const creatorSchema = z.looseObject(personFields);
const userSchema = z.looseObject(personFields);

const companySchema = z.looseObject({
  uuid: text,
  name: text,
  email: text,
  phoneNumber: text,
  website: text,
  country: text,
});

const accountSchema = z.looseObject({ accountIdentifier: text, status: text });

const orderItemSchema = z.looseObject({ unit: text, quantity: z.union([z.string(), z.number()]).nullish() });

const orderSchema = z.looseObject({
  editionCode: text,
  pricingDuration: text,
  items: z.array(orderItemSchema).nullish(),
});

const payloadSchema = z.looseObject({
  company: companySchema.nullish(),
  account: accountSchema.nullish(),
  order: orderSchema.nullish(),
  user: userSchema.nullish(),
  notice: z.looseObject({ type: text }).nullish(),
});

export const appDirectEventSchema = z.looseObject({
  type: z.string().min(1),
  marketplace: z.looseObject({ baseUrl: text, partner: text }).nullish(),
  applicationUuid: text,
  flag: z.enum(['STATELESS', 'DEVELOPMENT']).nullish(),
  creator: creatorSchema.nullish(),
  payload: payloadSchema.nullish(),
});

export type AppDirectEvent = z.infer<typeof appDirectEventSchema>;

/** What each event type cannot be handled without; checked after the shape so the message can name the field. */
const REQUIRED_FIELDS: Record<EventType, readonly string[]> = {
  SUBSCRIPTION_ORDER: ['creator.email', 'payload.company.uuid', 'payload.order.editionCode'],
  SUBSCRIPTION_CHANGE: ['payload.account.accountIdentifier', 'payload.order.editionCode', 'creator.email'],
  SUBSCRIPTION_CANCEL: ['payload.account.accountIdentifier'],
  SUBSCRIPTION_NOTICE: ['payload.account.accountIdentifier', 'payload.notice.type'],
  USER_ASSIGNMENT: ['payload.account.accountIdentifier', 'payload.user.email'],
  USER_UNASSIGNMENT: ['payload.account.accountIdentifier', 'payload.user.email'],
};

export type EventParse = { ok: true; event: AppDirectEvent } | { ok: false; message: string };

export function parseEvent(raw: unknown): EventParse {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, message: 'event must be a JSON object' };
  }
  const parsed = appDirectEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: describeIssue(parsed.error.issues[0]) };

  const event = parsed.data;
  // A STATELESS event is AppDirect's ping: it only needs a well-formed answer, so its content is not required.
  if (event.flag === 'STATELESS' || !isKnownEventType(event.type)) return { ok: true, event };

  const missing = REQUIRED_FIELDS[event.type].filter((path) => !hasText(valueAt(event, path)));
  if (missing.length === 1) return { ok: false, message: `event field ${missing[0]} is required for ${event.type}` };
  if (missing.length > 1) {
    return { ok: false, message: `event fields ${missing.join(', ')} are required for ${event.type}` };
  }
  return { ok: true, event };
}

export function isKnownEventType(type: string): type is EventType {
  return (KNOWN_EVENT_TYPES as readonly string[]).includes(type);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').slice(1);
  if (path === 'type') return 'event field type is required and must be a non-empty string';
  if (issue.code === 'invalid_type') return `event field ${path} has the wrong type (expected ${issue.expected} or null)`;
  if (issue.code === 'invalid_value') return `event field ${path} must be one of ${issue.values.join(', ')} or null`;
  return `event field ${path} is invalid`;
}

function valueAt(root: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);
}

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
