import type { AppDirectResult } from '../appdirect/results';

/** A job as the queue holds it; `payload` and `checkpoint` are whatever its kind put there. */
export interface Job<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  state: 'queued' | 'done' | 'failed';
  runAt: number;
  /** Failed attempts so far (waiting that is not a failure does not count). */
  attempts: number;
  /** Facts the job's handler recorded so that a repeated attempt continues instead of starting over. */
  checkpoint: Record<string, unknown>;
  lastError?: string;
  waitingFor?: string;
  /** Who holds the job now, and until when (absent when nobody does). */
  leaseOwner?: string;
  leaseUntil?: number;
  createdAt: number;
  updatedAt: number;
}

/** The proof of a claim: every write a claimant makes carries it, and does nothing once the claim is lost. */
export interface Lease {
  jobId: string;
  leaseId: string;
  owner: string;
}

export interface ClaimedJob<P = unknown> extends Job<P> {
  lease: Lease;
}

export interface NewJob {
  id: string;
  kind: string;
  payload?: unknown;
  runAt: number;
}

/** Queued jobs per kind, with the creation time of the oldest. */
export type QueueStats = Record<string, { count: number; oldestCreatedAt?: number }>;

/** One AppDirect notification in the journal: what was asked, what AppDirect was answered, and the result. */
export interface EventRecord {
  token: string;
  eventUrl: string;
  type?: string;
  flag?: string;
  accountId?: string;
  /** The event as AppDirect returned it, once fetched. */
  event?: unknown;
  /** How AppDirect is getting its answer: in the HTTP response, or later through the result endpoint. */
  ack: 'sync' | 'async' | null;
  result?: AppDirectResult;
  delivery: 'none' | 'pending' | 'delivered' | 'rejected';
  deliveryError?: string;
  receivedAt: number;
  /** When an operator last put the event back to work; the provisioning deadline counts from here. */
  retriedAt?: number;
  finishedAt?: number;
  updatedAt: number;
  notifications: number;
}

export interface TimelineEntry {
  at: number;
  kind: string;
  detail: string;
}

/** What the fetched event tells about itself, saved with it. */
export interface EventFacts {
  event: unknown;
  type: string;
  flag?: string;
  accountId?: string;
}

/** What `awaitOutcome` found: the record with its result, or the record still without one when the budget ran out. */
export type Outcome = { settled: true; record: EventRecord & { result: AppDirectResult } } | { settled: false; record: EventRecord };
