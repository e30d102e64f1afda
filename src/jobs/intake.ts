import type { Store } from '../store';
import type { EventRecord } from '../store/types';
import { workJob } from './eventJobs';

/**
 * Journals a notification, its first timeline line and (for a new token) the job that works it, as one commit:
 * once this returns, the notification survives a crash and its work will be done. `promiseLater`: the answer to a
 * new notification is 202 without waiting, and that promise is part of the same commit.
 */
export async function acceptNotification(
  store: Store,
  notice: { token: string; eventUrl: string; hint?: string; promiseLater?: boolean },
  now: number,
): Promise<{ record: EventRecord; created: boolean }> {
  return store.transaction(async (tx) => {
    const recorded = await tx.journal.record(notice.token, notice.eventUrl, now, notice.promiseLater ? 'async' : null);
    const line = recorded.created ? `AppDirect notified (eventType ${notice.hint ?? 'not given'})` : 'AppDirect notified again';
    await tx.journal.addTimeline(notice.token, 'notified', line, now);
    if (recorded.created) await tx.queue.enqueue(workJob(notice.token, now), now);
    return recorded;
  });
}
