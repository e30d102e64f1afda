import type { AppDirectResult } from '../appdirect/results';

/** What is left to do for an event: provision it, tell AppDirect the result, or nothing. */
export type Phase = 'work' | 'deliver' | 'idle';

/** How AppDirect is getting its answer: in the HTTP response, or later through the result endpoint. */
export type Ack = 'sync' | 'async' | null;

export type Delivery = 'none' | 'pending' | 'delivered' | 'rejected';

export interface EventRecord {
  token: string;
  eventUrl: string;
  type?: string;
  flag?: string;
  accountId?: string;
  /** The event as AppDirect returned it, once fetched. */
  event?: unknown;
  phase: Phase;
  ack: Ack;
  result?: AppDirectResult;
  delivery: Delivery;
  /** Failed attempts so far (waiting for Webex does not count). */
  attempts: number;
  /** Facts a handler recorded so that a repeated attempt continues instead of starting over. */
  checkpoint: Record<string, unknown>;
  runAt: number;
  leaseOwner?: string;
  leaseUntil?: number;
  lastError?: string;
  receivedAt: number;
  /** When an operator last put the event back to work; the provisioning deadline counts from here. */
  retriedAt?: number;
  updatedAt: number;
  notifications: number;
}

export interface TimelineEntry {
  at: number;
  kind: string;
  detail: string;
}

/** Events not finished yet, per phase, and when the oldest of them arrived. */
export type QueueStats = Record<'work' | 'deliver', { count: number; oldestReceivedAt?: number }>;

/** Changes a lease holder may make while working on an event. */
export interface ProgressPatch {
  type?: string;
  flag?: string | null;
  accountId?: string;
  event?: unknown;
  checkpoint?: Record<string, unknown>;
}

/**
 * The journal of notifications and the queue of work on them, behind one interface so that the
 * embedded SQLite store and a shared database can be swapped without touching the callers.
 * Every method that changes a claimed event takes the claimant's owner ID and does nothing when
 * the claim has been lost, so two workers never both act on one event.
 */
export interface Store {
  /** Journals a notification; `created` is false when the event token was seen before. */
  recordNotification(token: string, eventUrl: string, now: number): Promise<{ record: EventRecord; created: boolean }>;
  get(token: string): Promise<EventRecord | undefined>;
  /** Claims up to `limit` events whose work or delivery is due and not claimed by a live worker. */
  claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<EventRecord[]>;
  /** Claims one event if it is due and unclaimed (used to start work the moment it arrives). */
  claim(token: string, owner: string, now: number, leaseMs: number): Promise<EventRecord | undefined>;
  saveProgress(token: string, owner: string, patch: ProgressPatch, now: number): Promise<boolean>;
  /** Gives the claim back and schedules the next look; `failed` counts it as a failed attempt. */
  reschedule(token: string, owner: string, opts: { runAt: number; failed: boolean; lastError?: string }, now: number): Promise<boolean>;
  /** Stores the final result; the event moves on to delivery if AppDirect was told to wait for it. */
  complete(token: string, owner: string, result: AppDirectResult, now: number): Promise<EventRecord | undefined>;
  /** A waiting HTTP request claims the right to answer with the result; false if it was promised asynchronously. */
  ackSync(token: string, now: number): Promise<boolean>;
  /** A waiting HTTP request gives up: the result will be POSTed later. Returns the record after the change. */
  ackAsync(token: string, now: number): Promise<EventRecord>;
  markDelivered(token: string, owner: string, now: number): Promise<void>;
  markDeliveryRejected(token: string, owner: string, reason: string, now: number): Promise<void>;
  /** Requests that died before answering leave events with no promise; those get an asynchronous result. */
  adoptUnanswered(olderThan: number, now: number): Promise<number>;
  /**
   * Called at start to free claims no live worker holds. The embedded store has one process, so every
   * claim in it was left by a previous run; a shared store has other live instances, so it frees only
   * claims whose lease has expired (claimDue takes those anyway) and a dead instance's work waits for its lease.
   */
  releaseStaleClaims(now: number): Promise<number>;
  addTimeline(token: string, kind: string, detail: string, now: number): Promise<void>;
  timeline(token: string): Promise<TimelineEntry[]>;
  /** Records a nonce until it expires; false when it was already used. */
  useNonce(key: string, expiresAt: number, now: number): Promise<boolean>;
  recent(limit: number): Promise<EventRecord[]>;
  queueStats(): Promise<QueueStats>;
  /**
   * An operator's retry: puts a finished (idle) event back to work with its fetched event and checkpoint
   * kept, its result cleared and the new result due to be POSTed. False when the event is not idle.
   */
  requeue(token: string, now: number): Promise<boolean>;
  close(): Promise<void>;
}
