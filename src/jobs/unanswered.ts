import type { Store } from '../store';
import { deliveryJob } from './eventJobs';
import type { Sweep } from './runner';

/**
 * Notifications whose HTTP request ended without an answer (the process died while it waited) are promised an
 * asynchronous result, so AppDirect hears the outcome by POST; a result already there is queued for delivery.
 */
export function unansweredNotificationsSweep(store: Store, settings: { unansweredAfterMs: number; everyMs: number }): Sweep {
  return {
    name: 'unanswered notifications',
    everyMs: settings.everyMs,
    run: (now) =>
      store.transaction(async (tx) => {
        for (const event of await tx.journal.adoptUnanswered(now - settings.unansweredAfterMs, now)) await tx.queue.enqueue(deliveryJob(event.token, event.receivedAt, now), now);
      }),
  };
}
