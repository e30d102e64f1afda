import type { KnownEvent } from '../appdirect/eventSchema';
import type { AppDirectResult } from '../appdirect/results';
import type { ProvisioningSettings } from '../config';
import type { Logger } from '../log';
import type { AccountMemory } from '../store/accounts';
import type { NewJob } from '../store/types';
import type { WebexClient } from '../webex/client';

/** Facts a handler keeps between attempts, persisted before the call they protect. */
export interface Checkpoint {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): Promise<void>;
}

/** What every handler gets besides its event. */
export interface AttemptContext {
  checkpoint: Checkpoint;
  log: Logger;
  /** Adds a line to the event's timeline (what Webex was told). */
  note(detail: string): Promise<void>;
  now(): number;
}

/** A handler's view of one attempt at an event of its type. */
export interface HandlerContext<E extends KnownEvent = KnownEvent> extends AttemptContext {
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
