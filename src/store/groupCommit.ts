import { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { Tables } from './schema';

interface Pending {
  work(trx: Transaction<Tables>): Promise<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

// Compiled once: these run for every unit of every batch.
const SAVEPOINT = CompiledQuery.raw('SAVEPOINT unit');
const RELEASE = CompiledQuery.raw('RELEASE SAVEPOINT unit');
const ROLLBACK_TO = CompiledQuery.raw('ROLLBACK TO SAVEPOINT unit');

/** Work units committed by one fsync at the most; a bound keeps one batch's locks and latency small. */
const MAX_BATCH = 500;

/**
 * Group commit for the embedded SQLite store. A commit there waits for the disk (fsync) with the event loop
 * blocked, so committing each change on its own caps the whole connector at the disk's sync rate. Instead, every
 * unit of work submitted while a batch is being committed waits for the next batch, and each batch is one
 * transaction: many notifications, claims and results, one fsync. Each unit runs inside a savepoint of its own,
 * so one that fails is rolled back alone, and it resolves only once its batch is durable.
 */
export class GroupCommit {
  private queued: Pending[] = [];
  private flushing = false;

  constructor(private readonly db: Kysely<Tables>) {}

  submit<T>(work: (trx: Transaction<Tables>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        // The rest of this turn of the event loop joins the batch too.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queued.length) await this.commit(this.queued.splice(0, MAX_BATCH));
    } finally {
      this.flushing = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const unit of batch) {
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await unit.work(trx);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The batch did not commit (the disk is full, say): nothing in it happened.
      for (const unit of batch) unit.reject(error);
      return;
    }
    batch.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }
}
