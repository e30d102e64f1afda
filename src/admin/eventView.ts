import { describeResult } from '../appdirect/results';
import { workJobId } from '../jobs/eventJobs';
import { WAITING_FOR_CREDENTIALS } from '../jobs/webexCredentials';
import type { StoreParts } from '../store';
import type { EventRecord, Job, TimelineEntry } from '../store/types';

export type EventState = 'received' | 'waiting for Webex' | 'waiting for Webex credentials' | 'resolved' | 'failed';

/** What an operator needs to know about one event, the same for the web page and the CLI. */
export interface EventSummary {
  token: string;
  receivedAt: string;
  type?: string;
  company?: string;
  accountId?: string;
  state: EventState;
  result: string;
  delivery: string;
  /** Attempts at the work so far; waiting for Webex to finish provisioning is not a new attempt. */
  attempts: number;
  trackingIds: string[];
  /** Why an operator may not put it back to work; absent when a retry is possible. */
  retryBlocker?: string;
  /** AppDirect already holds this event's outcome, so it may refuse a second result. */
  appDirectHasOutcome: boolean;
}

export const formatTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** Webex tracking IDs, as the failure messages and the timeline write them ("tracking ID …"). */
export function trackingIdsIn(texts: Array<string | undefined>): string[] {
  const found = texts.flatMap((text) => [...(text ?? '').matchAll(/tracking ID ([\w:.-]+)/gi)].map((match) => match[1]));
  return [...new Set(found)];
}

/** An event's record, the job that works it, and its timeline: everything an operator view shows. */
export interface EventDetails {
  record: EventRecord;
  work?: Job;
  timeline: TimelineEntry[];
}

export async function loadEventDetails(store: StoreParts, token: string): Promise<EventDetails | undefined> {
  const record = await store.journal.get(token);
  if (!record) return undefined;
  const [work, timeline] = await Promise.all([store.queue.get(workJobId(token)), store.journal.timeline(token)]);
  return { record, work, timeline };
}

export function summarize({ record, work, timeline }: EventDetails): EventSummary {
  const state = stateOf(record, work);
  const lastProblem = record.result ? undefined : work?.lastError;
  // The record's own counter restarts when a result is reached (it then counts deliveries); the timeline keeps every retry.
  const retries = timeline.filter((entry) => entry.kind === 'retry').length;
  const started = record.event !== undefined || record.result !== undefined || retries > 0;
  return {
    token: record.token,
    receivedAt: formatTime(record.receivedAt),
    type: record.type,
    company: companyName(record.event),
    accountId: record.accountId,
    state,
    result: record.result ? describeResult(record.result) : lastProblem ? `not yet; last problem: ${lastProblem}` : work?.waitingFor ? `not yet; ${work.waitingFor}` : 'not yet',
    delivery: deliveryOf(record),
    attempts: started ? retries + 1 : 0,
    trackingIds: trackingIdsIn([record.result?.message, lastProblem, record.deliveryError, ...timeline.map((entry) => entry.detail)]),
    retryBlocker: retryBlocker(record),
    appDirectHasOutcome: appDirectHasOutcome(record),
  };
}

function companyName(event: unknown): string | undefined {
  const name = (event as { payload?: { company?: { name?: unknown } } } | undefined)?.payload?.company?.name;
  return typeof name === 'string' ? name : undefined;
}

function stateOf(record: EventRecord, work: Job | undefined): EventState {
  if (record.result?.success === false || record.delivery === 'rejected') return 'failed';
  if (record.result?.success) return 'resolved';
  if (work?.waitingFor === WAITING_FOR_CREDENTIALS) return 'waiting for Webex credentials';
  return record.event === undefined ? 'received' : 'waiting for Webex';
}

export const appDirectHasOutcome = (record: EventRecord) => (record.ack === 'sync' && record.result !== undefined) || record.delivery === 'delivered';

/** Only a finished failure is retried: anything else is still moving, or a retry would change nothing. */
export function retryBlocker(record: EventRecord): string | undefined {
  if (!record.result) return 'it is still being worked on';
  if (record.delivery === 'pending') return 'its result is still being POSTed to AppDirect';
  if (record.result?.success) {
    return record.delivery === 'rejected' ? 'it succeeded in Webex; only AppDirect refused the result, which a retry would not change' : 'it did not fail';
  }
  return undefined;
}

function deliveryOf(record: EventRecord): string {
  if (record.delivery === 'rejected') return `AppDirect refused it: ${record.deliveryError ?? 'no reason given'}`;
  if (record.delivery === 'delivered') return 'POSTed to AppDirect';
  if (record.delivery === 'pending') return 'being POSTed to AppDirect';
  if (record.ack === 'sync' && record.result) return 'answered in the notification response';
  return record.ack === 'async' ? 'to be POSTed to AppDirect when done' : 'to be answered in the notification response';
}
