import type { AppDirectClient } from '../appdirect/client';
import { accountOf, parseEvent } from '../appdirect/eventSchema';
import { AppDirectResult, describeResult, failure } from '../appdirect/results';
import { backoffMs } from '../backoff';
import { withLogContext } from '../log';
import type { JobObserver } from '../metrics/observers';
import { AttemptReads, Checkpoint, HandlerDeps } from '../provisioning/context';
import { WebexCredentialsError } from '../webex/errors';
import { provision } from '../provisioning/dispatch';
import { exhausted, judge } from '../provisioning/failures';
import type { Store } from '../store';
import type { EventRecord, NewJob } from '../store/types';
import { jobCheckpoint } from './checkpoint';
import { deliveryJob, EVENT_WORK, EventJobPayload } from './eventJobs';
import { ClaimLostError, JobContext, JobHandler, JobOutcome } from './runner';
import { WAITING_FOR_CREDENTIALS } from './webexCredentials';

export interface EventWorkDeps {
  store: Store;
  appDirect: AppDirectClient;
  handlers: HandlerDeps;
  observer?: JobObserver;
  /** Told when Webex credentials fail, so the lapse shows (gauge, log, page) while events wait. */
  credentials?: { lapsed(err: WebexCredentialsError): void };
}

/** How soon an event held for Webex credentials looks again (a working credential also brings it forward). */
const CREDENTIALS_RETRY_MS = 60_000;
/** Checkpoint key: time spent waiting for credentials, which does not count against the provisioning deadline. */
const PAUSED = 'waitedForCredentialsMs';

export interface EventWorkSettings {
  /** Failed attempts (transient errors) before the event fails with TRANSPORT_ERROR. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** How soon to look again at work Webex is still doing. */
  pollIntervalMs: number;
  /** How long Webex may take in all before the event fails. */
  provisioningTimeoutMs: number;
}

/**
 * Works an AppDirect event: reads it from AppDirect once, lets its handler move it on, and records the result
 * (queuing its delivery when AppDirect was told to wait for it). Webex still busy is not a failure: the job is
 * looked at again later. Transient failures are retried with backoff until the attempts run out.
 */
export function eventWorkHandler(deps: EventWorkDeps, settings: EventWorkSettings): JobHandler<EventJobPayload> {
  return {
    kind: EVENT_WORK,
    run: (ctx) => withLogContext({ eventToken: ctx.job.payload.token }, () => workEvent(deps, settings, ctx)),
  };
}

async function workEvent(deps: EventWorkDeps, settings: EventWorkSettings, ctx: JobContext<EventJobPayload>): Promise<JobOutcome> {
  const { token } = ctx.job.payload;
  const record = await deps.store.journal.get(token);
  if (!record) return { kind: 'finish', state: 'failed', error: 'the journal has no such event' };
  if (record.result) return { kind: 'finish' };
  const finish = (result: AppDirectResult) => finishWith(deps, ctx, record, result);

  // An operator's retry gives the event a fresh deadline; otherwise an old event would fail at once. Time spent
  // without working Webex credentials is not Webex being slow: it does not count.
  const checkpoint = jobCheckpoint(ctx);
  const paused = checkpoint.get<number>(PAUSED) ?? 0;
  if (ctx.now() - (record.retriedAt ?? record.receivedAt) - paused > settings.provisioningTimeoutMs) {
    const minutes = Math.round(settings.provisioningTimeoutMs / 60_000);
    return finish(failure('UNKNOWN_ERROR', `Webex did not finish within ${minutes} minutes; last problem: ${ctx.job.lastError ?? 'none'}`));
  }
  try {
    const outcome = await attempt(deps, ctx, record, checkpoint);
    if (outcome.kind === 'done') return finishWith(deps, ctx, record, outcome.result, outcome.followUps);
    ctx.log.debug({ reason: outcome.reason }, 'waiting for Webex');
    return { kind: 'later', runAt: ctx.now() + settings.pollIntervalMs, failed: false, waitingFor: outcome.reason };
  } catch (err) {
    if (err instanceof ClaimLostError) throw err;
    if (err instanceof WebexCredentialsError) {
      // Not a failure of the event: it waits, visibly, until a working credential is supplied.
      deps.credentials?.lapsed(err);
      await checkpoint.set(PAUSED, paused + CREDENTIALS_RETRY_MS);
      return { kind: 'later', runAt: ctx.now() + CREDENTIALS_RETRY_MS, failed: false, error: err.message, waitingFor: WAITING_FOR_CREDENTIALS };
    }
    const verdict = judge(err);
    const attempts = ctx.job.attempts + 1;
    if (!verdict.transient || attempts >= settings.maxAttempts) return finish(verdict.transient ? exhausted(verdict.message, attempts) : verdict.result);
    const delay = Math.max(verdict.retryAfterMs ?? 0, backoffMs(attempts, settings.retryBaseMs, settings.retryMaxMs));
    ctx.log.warn({ attempt: attempts, retryInMs: delay, problem: verdict.message }, 'transient failure; will retry');
    return {
      kind: 'later',
      runAt: ctx.now() + delay,
      failed: true,
      error: verdict.message,
      commit: (tx) => tx.journal.addTimeline(token, 'retry', `attempt ${attempts} failed (${verdict.message}); retrying in ${delay} ms`, ctx.now()),
      after: () => deps.observer?.retrying('event_attempt'),
    };
  }
}

/**
 * The result, its delivery when AppDirect is waiting for it, and the work the event leaves behind (watching a user
 * who must accept Webex's invitation) are one commit with the end of the job.
 */
function finishWith(deps: EventWorkDeps, ctx: JobContext<EventJobPayload>, record: EventRecord, result: AppDirectResult, followUps: NewJob[] = []): JobOutcome {
  const { token } = ctx.job.payload;
  let type = record.type;
  return {
    kind: 'finish',
    state: result.success ? 'done' : 'failed',
    commit: async (tx) => {
      const now = ctx.now();
      const completed = await tx.journal.complete(token, result, now);
      if (completed?.ack === 'async') await tx.queue.enqueue(deliveryJob(token, record.receivedAt, now), now);
      for (const job of followUps) await tx.queue.enqueue(job, now);
      await tx.journal.addTimeline(token, 'result', describeResult(result), now);
      type = (await tx.journal.get(token))?.type;
    },
    after: () => {
      if (result.success) ctx.log.info({ result }, 'event resolved');
      else ctx.log.warn({ result }, 'event failed');
      deps.observer?.eventSettled(type, result);
    },
  };
}

/** One attempt: read the event from AppDirect if not read yet, then let its handler move it on. */
async function attempt(deps: EventWorkDeps, ctx: JobContext<EventJobPayload>, record: EventRecord, checkpoint: Checkpoint) {
  const { token } = ctx.job.payload;
  const fetched = record.event === undefined;
  // The journal keeps the event as AppDirect sent it; each attempt reads it through the schema of its type.
  const raw = fetched ? await deps.appDirect.fetchEvent(new URL(record.eventUrl)) : record.event;
  const parsed = parseEvent(raw);
  if (!parsed.ok) return { kind: 'done' as const, result: failure('INVALID_RESPONSE', `AppDirect returned an unusable event: ${parsed.message}`) };
  const { event } = parsed;
  const accountId = accountOf(event);
  if (fetched) {
    await ctx.fenced(async (tx) => {
      await tx.journal.saveEvent(token, { event: raw, type: event.type, flag: event.flag, accountId }, ctx.now());
      await tx.journal.addTimeline(token, 'event', `AppDirect event ${event.type}${event.flag ? ` (${event.flag})` : ''}${accountId ? ` for account ${accountId}` : ''}`, ctx.now());
    });
    if (event.flag === 'DEVELOPMENT') ctx.log.info({ type: event.type }, 'DEVELOPMENT event from a product in development; processing it');
  }

  return provision(deps.handlers, parsed, {
    checkpoint,
    reads: new AttemptReads(deps.handlers.webex),
    log: ctx.log,
    note: (detail) => deps.store.journal.addTimeline(token, 'webex', detail, ctx.now()),
    now: ctx.now,
    earlierUnfinished: async (type) => (accountId ? (await deps.store.journal.unfinishedBefore(accountId, type, { receivedAt: record.receivedAt, token })).map((earlier) => earlier.event) : []),
  });
}
