import type { KnownEvent } from '../appdirect/eventSchema';
import type { AppDirectResult } from '../appdirect/results';
import type { ProvisioningSettings } from '../config';
import type { Logger } from '../log';
import type { AccountMemory } from '../store/accounts';
import type { NewJob } from '../store/types';
import type { WebexClient } from '../webex/client';
import type { Customer } from '../webex/schemas';

/** Facts a handler keeps between attempts, persisted before the call they protect. */
export interface Checkpoint {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): Promise<void>;
}

/**
 * Webex reads shared by the steps of one attempt: the customer is read once, however many steps look at it, and
 * read again only after a step changed it. Nothing is kept across attempts (Webex may change meanwhile).
 */
export class AttemptReads {
  private readonly customers = new Map<string, Promise<Customer>>();

  constructor(private readonly webex: WebexClient) {}

  customer(customerId: string): Promise<Customer> {
    let read = this.customers.get(customerId);
    if (!read) {
      read = this.webex.wholesale.getCustomer(customerId);
      this.customers.set(customerId, read);
      read.catch(() => this.customers.delete(customerId));
    }
    return read;
  }

  /** The customer was changed: the next look reads it again. */
  customerChanged(customerId: string): void {
    this.customers.delete(customerId);
  }
}

/** What every handler gets besides its event. */
export interface AttemptContext {
  checkpoint: Checkpoint;
  reads: AttemptReads;
  log: Logger;
  /** Adds a line to the event's timeline (what Webex was told). */
  note(detail: string): Promise<void>;
  now(): number;
}

/** An attempt at an AppDirect event, which may race with others of its account. */
export interface EventAttemptContext extends AttemptContext {
  /** The account's events of this type notified before this one and not finished yet, as AppDirect sent them. */
  earlierUnfinished(type: KnownEvent['type']): Promise<unknown[]>;
}

/** A handler's view of one attempt at an event of its type. */
export interface HandlerContext<E extends KnownEvent = KnownEvent> extends EventAttemptContext {
  event: E;
}

export interface HandlerDeps {
  webex: WebexClient;
  settings: ProvisioningSettings;
  /** The connector's memory of each account: handlers read it rather than guess from Webex's lists. */
  accounts: AccountMemory;
}

/**
 * A handler either finishes, or says Webex is still busy and it should be looked at again later. A finished event
 * may leave work behind (watching a user who must accept Webex's invitation): `followUps` are queued in the same
 * commit as the result.
 */
export type HandlerOutcome = { kind: 'done'; result: AppDirectResult; followUps?: NewJob[] } | { kind: 'wait'; reason: string };

export const done = (result: AppDirectResult, followUps?: NewJob[]): HandlerOutcome => ({ kind: 'done', result, ...(followUps?.length ? { followUps } : {}) });
export const wait = (reason: string): HandlerOutcome => ({ kind: 'wait', reason });
