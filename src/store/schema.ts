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
  accounts: AccountsTable;
  account_users: AccountUsersTable;
  credentials: CredentialsTable;
  reconcile_runs: ReconcileRunsTable;
  repairs: RepairsTable;
  instances: InstancesTable;
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

/**
 * The connector's memory of each AppDirect account (a subscription, or an add-on of one): what AppDirect asked
 * for and what the connector made of it in Webex. Handlers read it instead of guessing from Webex's lists, and a
 * reconciliation can compare it with Webex.
 */
export interface AccountsTable {
  /** AppDirect's accountIdentifier, as the connector answered it. */
  account_id: string;
  /** For an add-on: the subscription it extends. */
  parent_account_id: string | null;
  company_uuid: string | null;
  company_name: string | null;
  /** The Webex customer and its organisation. */
  customer_id: string | null;
  org_id: string | null;
  status: 'active' | 'suspended' | 'closed' | 'cancelled';
  edition_code: string | null;
  /** A subscription's subscriber package; an add-on's package. */
  package: string | null;
  /** An add-on's package level: on each subscriber of the subscription, or on the customer. */
  package_level: 'subscriber' | 'customer' | null;
  /** An add-on put its package on the customer (it was not there), so ending the add-on takes it off again. */
  added_to_customer: number;
  /** Users the subscription may have (the order's USER item); null for a single-user product. */
  seats: number | null;
  /** The customer's calling location the connector places users at: a cache of what Webex said, dropped on a 404. */
  location_id: string | null;
  created_at: number;
  updated_at: number;
}

/** The users of a subscription, as the connector provisioned them. */
export interface AccountUsersTable {
  account_id: string;
  /** Lower case: Webex compares e-mails without case. */
  email: string;
  appdirect_uuid: string | null;
  first_name: string | null;
  last_name: string | null;
  subscriber_id: string | null;
  /** JSON array: the complete package list the subscriber has (or gets back on reactivation). */
  packages_json: string;
  extension: string | null;
  location_id: string | null;
  /** 'suspended': removed from Webex while the account is suspended, to be restored on reactivation. */
  status: 'active' | 'pending_consent' | 'suspended';
  /** pending_user_migration: when Webex first invited the user, the last invitation, automatic re-sends so far. */
  invited_at: number | null;
  last_invited_at: number | null;
  invitations_resent: number;
  /** An operator asked for the invitation to be sent again; cleared once it is. */
  resend_requested_at: number | null;
  created_at: number;
  updated_at: number;
}

/**
 * A credential's newest secrets (JSON the owner defines), and which operator-supplied value they descend from
 * (`config_seed`, a hash; '*' when an operator supplied them through the store itself).
 */
export interface CredentialsTable {
  name: string;
  secret_json: string;
  config_seed: string;
  updated_at: number;
}

/** Each comparison of the account memory with Webex: who ran it, how, and what it found (JSON the reconciler shapes). */
export interface ReconcileRunsTable {
  id: Generated<number>;
  /** 'schedule' (the server's job) or 'cli' (npm run events -- reconcile). */
  trigger: 'schedule' | 'cli';
  /** 'report' only, or 'fix': drift it may repair was repaired. */
  mode: 'report' | 'fix';
  started_at: number;
  /** Null while it runs (or when it stopped half-way). */
  finished_at: number | null;
  /** Counts by kind, small enough to read at every metrics scrape. */
  summary_json: string | null;
  /** The whole report: every drift found and what became of it. */
  report_json: string | null;
}

/** Every change a reconciliation made in Webex, with the tracking ID Webex gave it. */
export interface RepairsTable {
  id: Generated<number>;
  run_id: number;
  at: number;
  account_id: string;
  customer_id: string | null;
  /** The subscriber's e-mail, or null for a repair of the customer. */
  email: string | null;
  drift_kind: string;
  /** What was done, e.g. "POST /wholesale/subscribers ada@example.com webex_calling, extension 1234". */
  action: string;
  outcome: 'repaired' | 'failed';
  tracking_id: string | null;
  detail: string;
}

export interface InstancesTable {
  instance_id: string;
  seen_at: number;
}
