import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import type { DialectName } from './dialect';
import type { Tables } from './schema';

/**
 * In-process news of what the store just committed, so that waiters here need not poll for it: the runner
 * hears that work was queued, a waiting notification hears that its event has a result. Other instances
 * sharing a PostgreSQL store learn the same by polling.
 */
export class StoreSignals {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  workQueued(): void {
    this.emitter.emit('work');
  }

  outcomeRecorded(token: string): void {
    this.emitter.emit(`outcome:${token}`);
  }

  onWork(listener: () => void): () => void {
    this.emitter.on('work', listener);
    return () => this.emitter.off('work', listener);
  }

  onOutcome(token: string, listener: () => void): () => void {
    this.emitter.on(`outcome:${token}`, listener);
    return () => this.emitter.off(`outcome:${token}`, listener);
  }
}

/**
 * Where a store part runs its queries: the database itself, or an open transaction. Signals wait for the
 * commit, so nobody hears of a change that is rolled back.
 */
export interface Scope {
  db: Kysely<Tables>;
  dialect: DialectName;
  signals: StoreSignals;
  /** How often a waiter looks for news that another process may have written. */
  outcomePollMs: number;
  afterCommit(announce: () => void): void;
}

export function autoCommitScope(db: Kysely<Tables>, dialect: DialectName, signals: StoreSignals, outcomePollMs: number): Scope {
  return { db, dialect, signals, outcomePollMs, afterCommit: (announce) => announce() };
}
