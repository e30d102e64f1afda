import type { KnownEvent } from '../appdirect/eventSchema';
import type { AppDirectResult } from '../appdirect/results';
import type { ProvisioningSettings } from '../config';
import type { Logger } from '../log';
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
}

/** A handler's view of one attempt at an event of its type. */
export interface HandlerContext<E extends KnownEvent = KnownEvent> extends AttemptContext {
  event: E;
}

export interface HandlerDeps {
  webex: WebexClient;
  settings: ProvisioningSettings;
}

/** A handler either finishes, or says Webex is still busy and it should be looked at again later. */
export type HandlerOutcome = { kind: 'done'; result: AppDirectResult } | { kind: 'wait'; reason: string };

export const done = (result: AppDirectResult): HandlerOutcome => ({ kind: 'done', result });
export const wait = (reason: string): HandlerOutcome => ({ kind: 'wait', reason });
