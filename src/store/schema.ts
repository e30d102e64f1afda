import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them, the same on SQLite and PostgreSQL: JSON is kept as text and times as
 * millisecond integers (BIGINT on PostgreSQL, read back as numbers), so one mapping serves both databases.
 */
export interface Tables {
  events: EventsTable;
  jobs: JobsTable;
  timeline: TimelineTable;
  nonces: NoncesTable;
  admin_sessions: AdminSessionsTable;
}

/** The journal of AppDirect notifications: what was asked, what AppDirect was answered, the result. */
export interface EventsTable {
  token: string;
  event_url: string;
  type: string | null;
  flag: string | null;
  account_id: string | null;
  event_json: string | null;
  /** How AppDirect gets the result: in the HTTP answer ('sync'), later by POST ('async'), or not decided yet. */
  ack: 'sync' | 'async' | null;
  result_json: string | null;
  delivery: 'none' | 'pending' | 'delivered' | 'rejected';
  /** AppDirect's refusal of a POSTed result. */
  delivery_error: string | null;
  received_at: number;
  retried_at: number | null;
  finished_at: number | null;
  updated_at: number;
  notifications: number;
}

/** The generic leased job queue. */
export interface JobsTable {
  id: string;
  kind: string;
  payload_json: string;
  state: 'queued' | 'done' | 'failed';
  run_at: number;
  attempts: number;
  checkpoint_json: string;
  lease_owner: string | null;
  /** A new value on every claim: writes of a claimant that lost its claim match no row. */
  lease_id: string | null;
  lease_until: number | null;
  last_error: string | null;
  /** Why a queued job is waiting, when that is not a failure (Webex still provisioning, no credentials). */
  waiting_for: string | null;
  created_at: number;
  updated_at: number;
}

export interface TimelineTable {
  id: Generated<number>;
  token: string;
  at: number;
  kind: string;
  detail: string;
}

export interface NoncesTable {
  key: string;
  expires_at: number;
}

/** Operator page sessions: the key is derived from the session ID the cookie holds, never the ID itself. */
export interface AdminSessionsTable {
  key: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}
