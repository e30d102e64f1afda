import type { AppDirectClient } from '../appdirect/client';
import { AppDirectEvent, parseEvent } from '../appdirect/eventSchema';
import { failure } from '../appdirect/results';
import type { Logger } from '../log';
import type { Checkpoint, HandlerDeps, HandlerOutcome } from '../provisioning/context';
import { provision } from '../provisioning/dispatch';
import type { EventRecord, Store } from '../store/types';

/** Another worker took the event over (this one's lease ran out): stop without touching it further. */
export class ClaimLostError extends Error {
  constructor(readonly token: string) {
    super(`lost the claim on event ${token}`);
  }
}

export interface WorkDeps {
  store: Store;
  appDirect: AppDirectClient;
  handlers: HandlerDeps;
  now: () => number;
}

/**
 * One attempt at an event: read it from AppDirect if not read yet, then let its handler move it on.
 * Throws what went wrong; the runner decides between retrying and failing.
 */
export async function attemptEvent(deps: WorkDeps, record: EventRecord, owner: string, log: Logger, onTyped: (event: AppDirectEvent) => void): Promise<HandlerOutcome> {
  const { store, now } = deps;
  let event: AppDirectEvent;
  if (record.event === undefined) {
    const raw = await deps.appDirect.fetchEvent(new URL(record.eventUrl));
    const parsed = parseEvent(raw);
    if (!parsed.ok) return { kind: 'done', result: failure('INVALID_RESPONSE', `AppDirect returned an unusable event: ${parsed.message}`) };
    event = parsed.event;
    const accountId = event.payload?.account?.accountIdentifier ?? event.payload?.company?.uuid ?? undefined;
    await store.saveProgress(record.token, owner, { event, type: event.type, flag: event.flag ?? null, accountId }, now());
    await store.addTimeline(record.token, 'event', `AppDirect event ${event.type}${event.flag ? ` (${event.flag})` : ''}${accountId ? ` for account ${accountId}` : ''}`, now());
    if (event.flag === 'DEVELOPMENT') log.info({ type: event.type }, 'DEVELOPMENT event from a product in development; processing it');
    onTyped(event);
  } else {
    event = record.event as AppDirectEvent;
  }

  const state = { ...record.checkpoint };
  const checkpoint: Checkpoint = {
    get: <T>(key: string) => state[key] as T | undefined,
    set: async (key, value) => {
      state[key] = value;
      // The checkpoint guards the next Webex call: without it recorded, that call must not be made.
      if (!(await store.saveProgress(record.token, owner, { checkpoint: state }, now()))) throw new ClaimLostError(record.token);
    },
  };
  return provision(deps.handlers, {
    event,
    checkpoint,
    log,
    note: (detail) => store.addTimeline(record.token, 'webex', detail, now()),
  });
}
