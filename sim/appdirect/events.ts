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

interface Person {
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
  address?: SimAddress;
  flag?: 'STATELESS' | 'DEVELOPMENT';
}): SimEvent {
  const buyer = { email: input.email, firstName: input.firstName, lastName: input.lastName };
  return envelope('SUBSCRIPTION_ORDER', {
    flag: input.flag ?? null,
    creator: person(buyer, input.address),
    payload: payload({
      company: {
        uuid: input.companyUuid,
        externalId: null,
        name: input.companyName,
        email: input.email,
        phoneNumber: input.address?.phone ?? null,
        website: null,
        country: input.address?.country ?? 'US',
      },
      order: order(input.editionCode),
    }),
  });
}

export function changeEvent(input: { accountIdentifier: string; email: string; editionCode: string }): SimEvent {
  return envelope('SUBSCRIPTION_CHANGE', {
    creator: person({ ...MARKETPLACE_ADMIN, email: input.email }),
    payload: payload({ account: activeAccount(input.accountIdentifier), order: order(input.editionCode) }),
  });
}

export function cancelEvent(input: { accountIdentifier: string; email?: string }): SimEvent {
  return envelope('SUBSCRIPTION_CANCEL', {
    creator: person({ ...MARKETPLACE_ADMIN, email: input.email ?? MARKETPLACE_ADMIN.email }),
    payload: payload({ account: activeAccount(input.accountIdentifier) }),
  });
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

function order(editionCode: string) {
  return { editionCode, addonOfferingCode: null, pricingDuration: 'MONTHLY', items: [] };
}
