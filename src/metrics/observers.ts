import type { AppDirectResult } from '../appdirect/results';

/** One HTTP exchange with Webex or AppDirect, as the metrics see it; `status` is absent when no answer came. */
export interface ObservedCall {
  method: string;
  /** The request path; raw, with IDs in it: the metrics turn it into a template before using it as a label. */
  path: string;
  status?: number;
  seconds: number;
}

export type CallObserver = (call: ObservedCall) => void;

/** What the job runner reports as it works, so that it needs to know nothing about Prometheus. */
export interface JobObserver {
  eventSettled(type: string | undefined, result: AppDirectResult): void;
  retrying(scope: 'event_attempt' | 'result_delivery'): void;
  resultDelivered(outcome: 'delivered' | 'rejected'): void;
}

/** What the scheduled BYODS data-source renewal reports after each run. */
export interface DataSourceRenewalObserver {
  /** `earliestExpiry` (epoch ms): when the first token of an active data source expires; absent when there is none. */
  runFinished(run: { renewed: number; failed: number; earliestExpiry?: number }): void;
  /** The run could not even list the data sources. */
  listFailed(): void;
}

/** What a journal retention run removed, by what it was; `bytesReclaimed` is the space SQLite's file gave back. */
export interface RetentionObserver {
  removed(counts: Record<string, number> & { bytesReclaimed: number }): void;
}

/** The newest reconciliation's numbers, as the store keeps them. */
export interface DriftReading {
  finishedAt: number;
  /** Accounts left with drift of each kind after the run's repairs. */
  remaining: Record<string, number>;
  /** Accounts the run could not compare (Webex did not list their subscribers). */
  unchecked: number;
}
