import { workJobId } from '../jobs/eventJobs';
import type { Store } from '../store';
import { appDirectHasOutcome, retryBlocker } from './eventView';

export type RetryOutcome =
  | { kind: 'queued'; appDirectHadOutcome: boolean }
  | { kind: 'not_found' }
  | { kind: 'not_retryable'; reason: string };

/**
 * An operator's retry of a failed event: its work is queued again with the fetched event and the
 * checkpoint kept (so what Webex already created is found, not created twice), and the new result is
 * POSTed to AppDirect. If AppDirect already has the failure it may refuse that result; the refusal is
 * then recorded like any other, and the operator settles the subscription in AppDirect.
 */
export async function retryEvent(store: Store, token: string, now: number, from: string): Promise<RetryOutcome> {
  const record = await store.journal.get(token);
  if (!record) return { kind: 'not_found' };
  const blocker = retryBlocker(record);
  if (blocker) return { kind: 'not_retryable', reason: blocker };
  const toldAlready = appDirectHasOutcome(record);
  const consequence = toldAlready ? 'AppDirect already has the failure and may refuse the new result' : 'the new result will be POSTed to AppDirect';
  // Reopened only if still finished: of two operators retrying at once, the second finds it busy.
  const queued = await store.transaction(async (tx) => {
    if (!(await tx.journal.reopen(token, now))) return false;
    await tx.queue.requeue(workJobId(token), now);
    await tx.journal.addTimeline(token, 'operator', `retry requested from ${from}; ${consequence}`, now);
    return true;
  });
  return queued ? { kind: 'queued', appDirectHadOutcome: toldAlready } : { kind: 'not_retryable', reason: 'it is already being retried' };
}
