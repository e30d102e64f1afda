import type { RetentionObserver } from '../metrics/observers';
import type { Store } from '../store';
import { deliveryJobId, EVENT_WORK, RESULT_DELIVERY, workJobId } from './eventJobs';
import type { JobHandler } from './runner';

export const JOURNAL_RETENTION = 'journal.retention';
const RETENTION_JOB_ID = 'journal-retention';
/** Events per transaction: each batch holds the database for a few milliseconds only. */
const BATCH = 200;
/** Batches per run; a journal with more to remove gets the next run a minute later, not all at once. */
const BATCHES_PER_RUN = 50;
const EVERY_MS = 60 * 60_000;
const AGAIN_SOON_MS = 60_000;
const DAY_MS = 24 * 3600_000;

/** What one run removed (and, on SQLite, the bytes the file gave back). */
export type RetentionCounts = {
  events: number;
  timeline: number;
  jobs: number;
  nonces: number;
  adminSessions: number;
  reconcileRuns: number;
  repairs: number;
  bytesReclaimed: number;
};

const eventJobIds = (token: string) => [workJobId(token), deliveryJobId(token)];

/**
 * One retention run: finished events older than `days` with their timelines and finished jobs (each account's
 * newest event, events not finished and results not delivered stay: see JournalRetention), other finished jobs,
 * reconciliations of that age (the newest stays), expired nonces and ended operator sessions; then the space is
 * given back. `more` says a batch limit was reached and there is more to remove.
 */
export async function applyRetention(store: Store, days: number, now: number, signal?: AbortSignal): Promise<{ counts: RetentionCounts; more: boolean }> {
  const cutoff = now - days * DAY_MS;
  const counts: RetentionCounts = { events: 0, timeline: 0, jobs: 0, nonces: 0, adminSessions: 0, reconcileRuns: 0, repairs: 0, bytesReclaimed: 0 };
  let more = false;
  for (let batch = 0; ; batch++) {
    if (batch === BATCHES_PER_RUN || signal?.aborted) {
      more = true;
      break;
    }
    const removed = await store.transaction((tx) => tx.retention.removeExpiredEvents(cutoff, BATCH, eventJobIds));
    counts.events += removed.events;
    counts.timeline += removed.timeline;
    counts.jobs += removed.jobs;
    if (removed.events < BATCH) break;
  }
  for (let batch = 0; batch < BATCHES_PER_RUN && !signal?.aborted; batch++) {
    const removed = await store.retention.removeFinishedJobs(cutoff, BATCH, [EVENT_WORK, RESULT_DELIVERY]);
    counts.jobs += removed;
    if (removed < BATCH) break;
  }
  counts.nonces = await store.retention.removeExpiredNonces(now);
  counts.adminSessions = await store.retention.removeEndedAdminSessions(now);
  const reconciliations = await store.transaction((tx) => tx.reconciliations.removeBefore(cutoff));
  counts.reconcileRuns = reconciliations.runs;
  counts.repairs = reconciliations.repairs;
  counts.bytesReclaimed = await store.reclaimSpace();
  return { counts, more };
}

/** The retention job: hourly, or a minute after a run that stopped at its batch limit. */
export function journalRetentionHandler(store: Store, settings: { days: number }, observer?: RetentionObserver): JobHandler {
  return {
    kind: JOURNAL_RETENTION,
    async run(ctx) {
      const { counts, more } = await applyRetention(store, settings.days, ctx.now(), ctx.signal);
      observer?.removed(counts);
      if (Object.values(counts).some((n) => n > 0)) ctx.log.info({ ...counts, more }, `journal retention removed what finished more than ${settings.days} days ago`);
      return { kind: 'later', runAt: ctx.now() + (more ? AGAIN_SOON_MS : EVERY_MS), failed: false, waitingFor: 'the next retention run' };
    },
  };
}

/** At start the first run is due at once (then hourly). */
export async function scheduleJournalRetention(store: Store, now: number): Promise<void> {
  const added = await store.queue.enqueue({ id: RETENTION_JOB_ID, kind: JOURNAL_RETENTION, runAt: now }, now);
  if (!added) await store.queue.bringForward(RETENTION_JOB_ID, now, now);
}
