import { z } from 'zod';

/**
 * One schema per AppDirect event type, as AppDirect's own SDK has one parser per type: each parses the event into
 * its own shape, with the fields its handler needs required and named when missing, so handlers receive typed
 * events and never check fields again. Fields the connector does not use are never a reason to refuse an event:
 * objects are loose, and AppDirect's nulls for absent values are accepted everywhere.
 */

/** AppDirect sends null for absent values; both mean "not given". */
const absentAsUndefined = (value: unknown) => (value === null ? undefined : value);

const optionalText = z.preprocess(absentAsUndefined, z.string().optional());
const requiredText = z.preprocess(absentAsUndefined, z.string().trim().min(1));

/** An object that may be absent: parsed as empty so that a missing required field inside it is named exactly. */
const section = <S extends z.ZodRawShape>(shape: S) => z.preprocess((value) => value ?? {}, z.looseObject(shape));
const optionalSection = <S extends z.ZodRawShape>(shape: S) => z.preprocess(absentAsUndefined, z.looseObject(shape).optional());

const address = optionalSection({
  firstName: optionalText,
  lastName: optionalText,
  street1: optionalText,
  street2: optionalText,
  city: optionalText,
  state: optionalText,
  zip: optionalText,
  country: optionalText,
});

const personFields = {
  uuid: optionalText,
  email: optionalText,
  firstName: optionalText,
  lastName: optionalText,
  language: optionalText,
  locale: optionalText,
  address,
};

const optionalPerson = optionalSection(personFields);
const personWithEmail = section({ ...personFields, email: requiredText });

/** The unit of an order item that counts users: its quantity is the subscription's number of seats. */
export const SEAT_UNIT = 'USER';

const isWholeNumber = (quantity: unknown) => (typeof quantity === 'number' ? Number.isInteger(quantity) : /^\s*\d+\s*$/.test(String(quantity)));

/** Other units (GIGABYTE, …) are not used, so only a USER item's quantity must be a whole number. */
const orderItem = z
  .looseObject({ unit: optionalText, quantity: z.preprocess(absentAsUndefined, z.union([z.string(), z.number()]).optional()) })
  .refine((item) => item.unit?.toUpperCase() !== SEAT_UNIT || (item.quantity !== undefined && isWholeNumber(item.quantity) && Number(item.quantity) >= 0), {
    path: ['quantity'],
    message: 'must be a whole number of users',
  });

/** Some marketplaces send one `item` object, or `items` as an object, instead of the `items` array. */
const orderItems = z.preprocess((value) => (value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(orderItem));

const order = <T extends z.ZodType>(editionCode: T) =>
  section({ editionCode, addonOfferingCode: optionalText, pricingDuration: optionalText, items: orderItems });

/** What AppDirect says of an add-on's instance and binding; read for the record, used by nothing. */
const optionalObject = z.preprocess(absentAsUndefined, z.looseObject({}).optional());

const account = <T extends z.ZodType>(accountIdentifier: T) =>
  section({ accountIdentifier, parentAccountIdentifier: optionalText, status: optionalText });

const company = <T extends z.ZodType>(uuid: T) =>
  section({ uuid, name: optionalText, email: optionalText, phoneNumber: optionalText, website: optionalText, country: optionalText });

/** The envelope every event has. `flag` is kept as text: a flag this connector does not know changes nothing. */
const envelope = {
  marketplace: optionalSection({ baseUrl: optionalText, partner: optionalText }),
  applicationUuid: optionalText,
  flag: optionalText,
};

/** The e-mail a new customer is created with: the creator's, or (an order without a creator) the company's. */
const BUYER_EMAIL = 'creator.email or payload.company.email';

/**
 * A subscription's order. The creator is optional (orders placed through AppDirect's API, multi-user products whose
 * users are assigned afterwards), but then the company must have an e-mail for the new Webex customer.
 */
const orderEvent = z
  .looseObject({
    ...envelope,
    type: z.literal('SUBSCRIPTION_ORDER'),
    creator: optionalPerson,
    payload: section({ company: company(requiredText), account: account(optionalText), order: order(requiredText) }),
  })
  // Checked even when other fields are missing, so that every missing field is named at once.
  .refine((event) => hasText(event?.creator?.email) || hasText(event?.payload?.company?.email), { path: ['creator', 'email'], params: { missing: BUYER_EMAIL }, when: () => true });

/** An add-on's order: `payload.account.parentAccountIdentifier` names the subscription it extends. */
const addonOrderEvent = z.looseObject({
  ...envelope,
  type: z.literal('SUBSCRIPTION_ORDER'),
  creator: optionalPerson,
  payload: section({
    company: optionalSection({ uuid: optionalText, name: optionalText }),
    account: section({ accountIdentifier: optionalText, parentAccountIdentifier: requiredText, status: optionalText }),
    order: order(requiredText),
    addonInstance: optionalObject,
    addonBinding: optionalObject,
  }),
});

/** A change applies to the whole subscription, whoever made it: the creator is not needed. */
const changeEvent = z.looseObject({
  ...envelope,
  type: z.literal('SUBSCRIPTION_CHANGE'),
  creator: optionalPerson,
  payload: section({ account: account(requiredText), order: order(requiredText) }),
});

const cancelEvent = z.looseObject({
  ...envelope,
  type: z.literal('SUBSCRIPTION_CANCEL'),
  creator: optionalPerson,
  payload: section({ account: account(requiredText) }),
});

const noticeEvent = z.looseObject({
  ...envelope,
  type: z.literal('SUBSCRIPTION_NOTICE'),
  creator: optionalPerson,
  payload: section({ account: account(requiredText), notice: section({ type: requiredText, message: optionalText }) }),
});

const assignmentEvent = (type: 'USER_ASSIGNMENT' | 'USER_UNASSIGNMENT') =>
  z.looseObject({
    ...envelope,
    type: z.literal(type),
    creator: optionalPerson,
    payload: section({ account: account(requiredText), user: personWithEmail }),
  });

/** USER_UPDATED: the changed person, found by AppDirect's UUID (the e-mail may be what changed) or e-mail. */
const userUpdatedEvent = z.looseObject({
  ...envelope,
  type: z.literal('USER_UPDATED'),
  creator: optionalPerson,
  payload: section({ account: account(requiredText), user: personWithEmail }),
});

/** The schema each event type is read with; an order is a subscription's or an add-on's. */
const SCHEMAS = {
  SUBSCRIPTION_ORDER: orderEvent,
  SUBSCRIPTION_CHANGE: changeEvent,
  SUBSCRIPTION_CANCEL: cancelEvent,
  SUBSCRIPTION_NOTICE: noticeEvent,
  USER_ASSIGNMENT: assignmentEvent('USER_ASSIGNMENT'),
  USER_UNASSIGNMENT: assignmentEvent('USER_UNASSIGNMENT'),
  USER_UPDATED: userUpdatedEvent,
} as const;

function hasText(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/** An order whose account names a parent subscription is an add-on's. */
function isAddonShaped(raw: object): boolean {
  const account = (raw as { payload?: { account?: { parentAccountIdentifier?: unknown } } }).payload?.account;
  return typeof account === 'object' && account !== null && hasText(account.parentAccountIdentifier);
}

/** A ping test (STATELESS) or an event of a type this connector does not act on: only the envelope is read. */
const anyEvent = z.looseObject({
  ...envelope,
  type: z.string().trim().min(1),
  creator: optionalPerson,
  payload: optionalSection({ company: optionalSection({ uuid: optionalText, name: optionalText }), account: optionalSection({ accountIdentifier: optionalText }) }),
});

export type OrderEvent = z.infer<typeof orderEvent>;
export type AddonOrderEvent = z.infer<typeof addonOrderEvent>;
export type ChangeEvent = z.infer<typeof changeEvent>;
export type CancelEvent = z.infer<typeof cancelEvent>;
export type NoticeEvent = z.infer<typeof noticeEvent>;
export type AssignmentEvent = z.infer<ReturnType<typeof assignmentEvent>>;
export type UserUpdatedEvent = z.infer<typeof userUpdatedEvent>;
export type KnownEvent = OrderEvent | AddonOrderEvent | ChangeEvent | CancelEvent | NoticeEvent | AssignmentEvent | UserUpdatedEvent;
export type EventType = KnownEvent['type'];
export type OrderItem = z.infer<typeof orderItem>;
/** What every event has; all that is read of ping tests and of types the connector does not act on. */
export type EnvelopeEvent = z.infer<typeof anyEvent>;
export type AppDirectEvent = KnownEvent | EnvelopeEvent;

/** An event the connector acts on, a ping test (STATELESS: answer well-formed, change nothing), or another type. */
export type ParsedEvent = { kind: 'known'; event: KnownEvent } | { kind: 'ping'; event: EnvelopeEvent } | { kind: 'unsupported'; event: EnvelopeEvent };

export const KNOWN_EVENT_TYPES = Object.keys(SCHEMAS) as readonly EventType[];

export function isAddonOrder(event: OrderEvent | AddonOrderEvent): event is AddonOrderEvent {
  return hasText(event.payload.account.parentAccountIdentifier);
}

export function isKnownEventType(type: string): type is EventType {
  return (KNOWN_EVENT_TYPES as readonly string[]).includes(type);
}

/** The account an event is about: the subscription's identifier, for an add-on's order its subscription, for a new order the company. */
export function accountOf(event: AppDirectEvent): string | undefined {
  const payload = event.payload as { account?: { accountIdentifier?: string; parentAccountIdentifier?: string }; company?: { uuid?: string } } | undefined;
  return payload?.account?.accountIdentifier ?? payload?.account?.parentAccountIdentifier ?? payload?.company?.uuid;
}

export type EventParse = ({ ok: true } & ParsedEvent) | { ok: false; message: string };

export function parseEvent(raw: unknown): EventParse {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, message: 'event must be a JSON object' };
  const envelopeOnly = anyEvent.safeParse(raw);
  if (!envelopeOnly.success) return { ok: false, message: describe(envelopeOnly.error.issues) };
  const { type, flag } = envelopeOnly.data;
  if (flag === 'STATELESS') return { ok: true, kind: 'ping', event: envelopeOnly.data };
  if (!isKnownEventType(type)) return { ok: true, kind: 'unsupported', event: envelopeOnly.data };

  const schema = type === 'SUBSCRIPTION_ORDER' && isAddonShaped(raw) ? addonOrderEvent : SCHEMAS[type];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: describe(parsed.error.issues, type) };
  return { ok: true, kind: 'known', event: parsed.data as KnownEvent };
}

/** Names the first field of the wrong shape, or else every missing field at once (fixed in one go). */
function describe(issues: z.core.$ZodIssue[], type?: string): string {
  const pathOf = (issue: z.core.$ZodIssue) => issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').slice(1);
  if (issues.some((issue) => pathOf(issue) === 'type')) return 'event field type is required and must be a non-empty string';
  const wrong = issues.find((issue) => !isMissing(issue));
  if (wrong) {
    const path = pathOf(wrong);
    if (wrong.code === 'invalid_type') return `event field ${path} has the wrong type (expected ${wrong.expected} or null)`;
    return wrong.code === 'custom' ? `event field ${path} ${wrong.message}` : `event field ${path} is invalid`;
  }
  const fields = [...new Set(issues.map((issue) => missingLabel(issue) ?? pathOf(issue)))];
  const forType = type ? ` for ${type}` : '';
  return fields.length === 1 ? `event field ${fields[0]} is required${forType}` : `event fields ${fields.join(', ')} are required${forType}`;
}

/** A field that may be given in one of several places is named by all of them. */
function missingLabel(issue: z.core.$ZodIssue): string | undefined {
  const missing = issue.code === 'custom' ? (issue.params as { missing?: unknown } | undefined)?.missing : undefined;
  return typeof missing === 'string' ? missing : undefined;
}

function isMissing(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'too_small' || missingLabel(issue)) return true;
  return issue.code === 'invalid_type' && /received undefined/.test(issue.message);
}
