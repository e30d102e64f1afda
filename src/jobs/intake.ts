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
  return store.intake.accept(
    {
      token: notice.token,
      eventUrl: notice.eventUrl,
      ack: notice.promiseLater ? 'async' : null,
      line: { kind: 'notified', first: `AppDirect notified (eventType ${notice.hint === undefined ? 'not given' : printable(notice.hint)})`, repeat: 'AppDirect notified again' },
      job: workJob(notice.token, now),
    },
    now,
  );
}

/** Longest part of the caller's eventType hint kept in the timeline: AppDirect's types are about 25 characters. */
const HINT_CHARACTERS = 64;

/**
 * The hint is anybody's text and ends up on operators' terminals and pages: control characters (a NUL, which
 * PostgreSQL refuses; an escape sequence) are replaced, and its length is bounded.
 */
const printable = (hint: string): string => {
  const shown = hint.replace(/\p{Cc}/gu, '\uFFFD');
  return shown.length > HINT_CHARACTERS ? `${shown.slice(0, HINT_CHARACTERS)}…` : shown;
};
