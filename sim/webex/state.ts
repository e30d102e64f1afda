/** Customer statuses the sim produces (a subset of the spec's Customer.status enum). */
export type CustomerStatus = 'provisioning' | 'provisioned' | 'provisioned_with_errors' | 'updating' | 'error';

/** How provisioning of a customer ends; set per externalId through `sim.control.customerOutcome`. */
export type CustomerOutcome = 'provisioned' | 'provisioned_with_errors' | 'error';

export interface PlannedOutcome {
  outcome: CustomerOutcome;
  detail?: string;
}

/** The address shape of the wholesale API. */
export interface WholesaleAddress {
  addressLine1: string;
  addressLine2?: string;
  city: string;
  stateOrProvince?: string;
  zipOrPostalCode?: string;
  country: string;
}

export interface SimCustomer {
  id: string;
  externalId: string;
  provisioningId: string;
  packages: string[];
  address: WholesaleAddress;
  customerInfo?: { name?: string; primaryEmail: string; language?: string };
  callingLocation?: { name: string; address: WholesaleAddress };
  /** Minted at creation so it never changes, but only shown once the customer is provisioned (spec). */
  orgId: string;
  status: CustomerStatus;
  /** Epoch ms at which the current `provisioning`/`updating` phase ends. */
  busyUntil: number;
  /** The description attached to an `error`/`provisioned_with_errors` outcome. */
  outcomeDetail?: string;
  createdAt: number;
}

/** `pending_user_migration`: the e-mail belongs to an existing Webex account whose owner has not consented to the move yet. */
export type SubscriberStatus = 'provisioning' | 'provisioned' | 'pending_user_migration';

export interface SubscriberParameters {
  firstName?: string;
  lastName?: string;
  primaryPhoneNumber?: string;
  extension?: string;
  locationId?: string;
}

export interface SimSubscriber {
  id: string;
  customerId: string;
  email: string;
  packages: string[];
  provisioningParameters: SubscriberParameters;
  /**
   * The Person created with the subscriber; shown on the subscriber only once provisioned (spec). For an e-mail of
   * an existing Webex account the person joins the customer's org only when its owner accepts the move.
   */
  personId: string;
  status: SubscriberStatus;
  /** The person that joins the customer's org when provisioning ends (an existing account's owner accepting, say). */
  pendingPerson?: SimPerson;
  busyUntil: number;
  createdAt: number;
  lastStatusChange: number;
}

export interface SimPerson {
  id: string;
  emails: string[];
  orgId: string;
  firstName?: string;
  lastName?: string;
  displayName: string;
  extension?: string;
  primaryPhoneNumber?: string;
  locationId?: string;
  createdAt: number;
}

/** A calling location, in the shape of the Locations API (docs/webex.md). */
export interface SimLocation {
  id: string;
  orgId: string;
  name: string;
  address: {
    address1: string;
    address2?: string;
    city: string;
    state?: string;
    postalCode?: string;
    country: string;
  };
}

/**
 * Everything the simulator knows. Every collection is a Map, so `clearState` can empty a collection a
 * later router adds (e.g. data sources) without being told about it.
 */
export interface WebexSimState {
  customers: Map<string, SimCustomer>;
  subscribers: Map<string, SimSubscriber>;
  people: Map<string, SimPerson>;
  locations: Map<string, SimLocation>;
  /** Keyed by customer externalId, so an outcome can be planned before the customer exists. */
  customerOutcomes: Map<string, PlannedOutcome>;
  /** E-mails (lower case) of existing Webex accounts outside the partner's customers, e.g. free accounts. */
  existingAccounts: Map<string, { since: number }>;
  /** Invitations to move an existing account, by lower-case e-mail: one at provisioning, one per consentMove. */
  invitations: Map<string, number[]>;
}

export function createEmptyState(): WebexSimState {
  return {
    customers: new Map(),
    subscribers: new Map(),
    people: new Map(),
    locations: new Map(),
    customerOutcomes: new Map(),
    existingAccounts: new Map(),
    invitations: new Map(),
  };
}

export function clearState(state: WebexSimState): void {
  for (const collection of Object.values(state)) {
    if (collection instanceof Map) collection.clear();
  }
}

export function findCustomerByExternalId(state: WebexSimState, externalId: string): SimCustomer | undefined {
  return [...state.customers.values()].find((c) => c.externalId === externalId);
}

/** Whether an address is already used by any person or subscriber; Webex compares emails case-insensitively. */
export function isEmailInUse(state: WebexSimState, email: string): boolean {
  const wanted = email.toLowerCase();
  const people = [...state.people.values()].some((p) => p.emails.some((e) => e.toLowerCase() === wanted));
  return people || [...state.subscribers.values()].some((s) => s.email.toLowerCase() === wanted);
}
