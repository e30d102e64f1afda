import { randomUUID } from 'node:crypto';

/**
 * Realistic AppDirect events for tests and the demo, shaped like the ones the marketplace sends.
 * marketplace.baseUrl is left empty: the simulator fills it in when the event is added.
 */
export type SimEvent = Record<string, unknown>;

export interface SimAddress {
  phone?: string;
  street1: string;
  street2?: string;
  city: string;
  state: string;
  zip: string;
  country: string;
}

export interface Person {
  email: string;
  firstName: string;
  lastName: string;
  uuid?: string;
}

const MARKETPLACE_ADMIN: Person = { email: 'marketplace.admin@example.com', firstName: 'Marketplace', lastName: 'Admin' };

export function orderEvent(input: {
  companyUuid: string;
  companyName: string;
  email: string;
  firstName: string;
  lastName: string;
  editionCode: string;
  /** The creator's address; real marketplaces mostly send none. */
  address?: SimAddress;
  /** The company's country; by default the address's, else US. */
  country?: string | null;
  /** A multi-user subscription: its number of users (a USER item). */
  seats?: number;
  flag?: 'STATELESS' | 'DEVELOPMENT';
}): SimEvent {
  const buyer = { email: input.email, firstName: input.firstName, lastName: input.lastName };
  return envelope('SUBSCRIPTION_ORDER', {
    flag: input.flag ?? null,
    creator: person(buyer, input.address),
    payload: payload({
      company: company({ uuid: input.companyUuid, name: input.companyName, email: input.email, phone: input.address?.phone, country: input.country === undefined ? (input.address?.country ?? 'US') : input.country }),
      order: order(input.editionCode, input.seats),
    }),
  });
}

/** An order placed through AppDirect's API, or of a multi-user product whose users are assigned afterwards: no creator. */
export function orderWithoutCreatorEvent(input: { companyUuid: string; companyName: string; companyEmail?: string | null; country?: string; editionCode: string; seats?: number }): SimEvent {
  return envelope('SUBSCRIPTION_ORDER', {
    creator: null,
    payload: payload({
      company: company({ uuid: input.companyUuid, name: input.companyName, email: input.companyEmail === undefined ? `it@${input.companyUuid.slice(0, 8)}.example.com` : input.companyEmail, country: input.country ?? 'US' }),
      order: order(input.editionCode, input.seats),
    }),
  });
}

/** A change applies to the whole subscription; `creator` is whoever made it (by default the marketplace's admin). */
export function changeEvent(input: { accountIdentifier: string; email?: string; editionCode: string; seats?: number; creator?: Person }): SimEvent {
  return envelope('SUBSCRIPTION_CHANGE', {
    creator: person(input.creator ?? { ...MARKETPLACE_ADMIN, email: input.email ?? MARKETPLACE_ADMIN.email }),
    payload: payload({ account: activeAccount(input.accountIdentifier), order: order(input.editionCode, input.seats) }),
  });
}

export function cancelEvent(input: { accountIdentifier: string; email?: string }): SimEvent {
  return envelope('SUBSCRIPTION_CANCEL', {
    creator: person({ ...MARKETPLACE_ADMIN, email: input.email ?? MARKETPLACE_ADMIN.email }),
    payload: payload({ account: activeAccount(input.accountIdentifier) }),
  });
}

/**
 * An add-on's order: a SUBSCRIPTION_ORDER whose account names the subscription it extends. `addonOfferingCode`
 * names the add-on offering when the marketplace sends it; the answer must carry the add-on's own identifier.
 */
export function addonOrderEvent(input: { parentAccountIdentifier: string; companyUuid?: string; editionCode: string; addonOfferingCode?: string; creator?: Person }): SimEvent {
  return envelope('SUBSCRIPTION_ORDER', {
    creator: person(input.creator ?? MARKETPLACE_ADMIN),
    payload: {
      ...payload({
        company: input.companyUuid ? company({ uuid: input.companyUuid, name: 'Add-on buyer', email: null, country: null }) : null,
        account: { accountIdentifier: null, status: 'ACTIVE', parentAccountIdentifier: input.parentAccountIdentifier },
        order: { ...order(input.editionCode), addonOfferingCode: input.addonOfferingCode ?? null },
      }),
      addonInstance: { id: randomUUID(), status: 'ACTIVE' },
      addonBinding: null,
    },
  });
}

/** A change of an add-on: its own account identifier, and the subscription's as its parent. */
export function addonChangeEvent(input: { accountIdentifier: string; parentAccountIdentifier: string; editionCode: string; addonOfferingCode?: string }): SimEvent {
  return envelope('SUBSCRIPTION_CHANGE', {
    creator: person(MARKETPLACE_ADMIN),
    payload: payload({
      account: { accountIdentifier: input.accountIdentifier, status: 'ACTIVE', parentAccountIdentifier: input.parentAccountIdentifier },
      order: { ...order(input.editionCode), addonOfferingCode: input.addonOfferingCode ?? null },
    }),
  });
}

export function addonCancelEvent(input: { accountIdentifier: string; parentAccountIdentifier: string }): SimEvent {
  return envelope('SUBSCRIPTION_CANCEL', {
    creator: person(MARKETPLACE_ADMIN),
    payload: payload({ account: { accountIdentifier: input.accountIdentifier, status: 'ACTIVE', parentAccountIdentifier: input.parentAccountIdentifier } }),
  });
}

/** USER_UPDATED: the person as it is now (AppDirect's UUID stays when the e-mail changes). */
export function userUpdatedEvent(input: { accountIdentifier: string; user: Person }): SimEvent {
  return userEvent('USER_UPDATED', input);
}

export function noticeEvent(input: { accountIdentifier: string; type: 'DEACTIVATED' | 'REACTIVATED' | 'CLOSED' | 'UPCOMING_INVOICE' }): SimEvent {
  const status = input.type === 'DEACTIVATED' ? 'SUSPENDED' : input.type === 'CLOSED' ? 'CANCELLED' : 'ACTIVE';
  return envelope('SUBSCRIPTION_NOTICE', {
    creator: null,
    payload: payload({ account: { accountIdentifier: input.accountIdentifier, status }, notice: { type: input.type } }),
  });
}

export function assignEvent(input: { accountIdentifier: string; user: Person }): SimEvent {
  return userEvent('USER_ASSIGNMENT', input);
}

export function unassignEvent(input: { accountIdentifier: string; user: Person }): SimEvent {
  return userEvent('USER_UNASSIGNMENT', input);
}

/** AppDirect's "ping": an event of the given type that must be answered well-formed without changing anything. */
export function statelessPing(type: string): SimEvent {
  return envelope(type, { flag: 'STATELESS', creator: person(MARKETPLACE_ADMIN), payload: payload({}) });
}

function userEvent(type: string, input: { accountIdentifier: string; user: Person }): SimEvent {
  return envelope(type, {
    creator: person(MARKETPLACE_ADMIN),
    payload: payload({ account: activeAccount(input.accountIdentifier), user: person(input.user) }),
  });
}

function envelope(type: string, parts: { flag?: string | null; creator: unknown; payload: unknown }): SimEvent {
  return {
    type,
    marketplace: { partner: 'SIMULATED', baseUrl: '' },
    applicationUuid: null,
    flag: parts.flag ?? null,
    creator: parts.creator,
    payload: parts.payload,
    returnUrl: null,
    links: [],
  };
}

function payload(parts: { company?: unknown; account?: unknown; order?: unknown; user?: unknown; notice?: unknown }) {
  return {
    user: parts.user ?? null,
    company: parts.company ?? null,
    account: parts.account ?? null,
    addonInstance: null,
    addonBinding: null,
    order: parts.order ?? null,
    notice: parts.notice ?? null,
    configuration: {},
  };
}

function person(who: Person, address?: SimAddress) {
  return {
    uuid: who.uuid ?? randomUUID(),
    email: who.email,
    firstName: who.firstName,
    lastName: who.lastName,
    language: 'en',
    locale: 'en-US',
    address: address
      ? { firstName: who.firstName, lastName: who.lastName, phone: address.phone ?? null, street1: address.street1, street2: address.street2 ?? '', city: address.city, state: address.state, zip: address.zip, country: address.country }
      : null,
    attributes: null,
  };
}

function activeAccount(accountIdentifier: string) {
  return { accountIdentifier, status: 'ACTIVE', parentAccountIdentifier: null };
}

function company(input: { uuid: string; name: string; email: string | null; phone?: string; country: string | null }) {
  return { uuid: input.uuid, externalId: null, name: input.name, email: input.email, phoneNumber: input.phone ?? null, website: null, country: input.country };
}

function order(editionCode: string, seats?: number) {
  return { editionCode, addonOfferingCode: null, pricingDuration: 'MONTHLY', items: seats === undefined ? [] : [{ unit: 'USER', quantity: seats }] };
}
