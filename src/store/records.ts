import type { AppDirectResult } from '../appdirect/results';
import type { EventRecord } from './types';

/**
 * An `events` row as both stores return it: JSON in text columns, times as millisecond numbers
 * (the PostgreSQL store parses its BIGINT columns to numbers), so one mapping serves both.
 */
export interface Row {
  token: string;
  event_url: string;
  type: string | null;
  flag: string | null;
  account_id: string | null;
  event_json: string | null;
  phase: EventRecord['phase'];
  ack: EventRecord['ack'];
  result_json: string | null;
  delivery: EventRecord['delivery'];
  attempts: number;
  checkpoint_json: string;
  run_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  received_at: number;
  retried_at: number | null;
  updated_at: number;
  notifications: number;
}

export function toRecord(row: Row): EventRecord {
  return {
    token: row.token,
    eventUrl: row.event_url,
    type: row.type ?? undefined,
    flag: row.flag ?? undefined,
    accountId: row.account_id ?? undefined,
    event: row.event_json ? JSON.parse(row.event_json) : undefined,
    phase: row.phase,
    ack: row.ack,
    result: row.result_json ? (JSON.parse(row.result_json) as AppDirectResult) : undefined,
    delivery: row.delivery,
    attempts: row.attempts,
    checkpoint: JSON.parse(row.checkpoint_json) as Record<string, unknown>,
    runAt: row.run_at,
    leaseOwner: row.lease_owner ?? undefined,
    leaseUntil: row.lease_until ?? undefined,
    lastError: row.last_error ?? undefined,
    receivedAt: row.received_at,
    retriedAt: row.retried_at ?? undefined,
    updatedAt: row.updated_at,
    notifications: row.notifications,
  };
}
