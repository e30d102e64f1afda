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

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Work units committed by one fsync at the most; a bound keeps one batch's locks and latency small. */
const MAX_BATCH = 500;

/**
 * Group commit for the embedded SQLite store. Committing each change on its own would cap the whole connector at
 * the disk's sync rate, so every unit of work submitted while a batch is being committed waits for the next
 * batch, and each batch is one transaction: many notifications, claims and results, one fsync. Each unit runs
 * inside a savepoint of its own, so one that fails is rolled back alone.
 *
 * The fsync is not made by the commit itself (that would hold the event loop, and everything else the connector
 * does, for as long as the disk takes): the database runs with `synchronous=NORMAL`, and `sync` — an fsync of the
 * write-ahead log on libuv's thread pool — is started once the batch is committed. A unit resolves only after
 * that sync, so nobody acts on a change (answers AppDirect, calls Webex) before it is on the disk, as with
 * `synchronous=FULL`. Reads are units too: whatever a read saw was committed before its own batch, and so is
 * covered by its batch's sync.
 */
export class GroupCommit {
  private queued: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly sync: () => Promise<void>,
  ) {}

  /** The sync being made, and the one queued to start after it for batches committed meanwhile. */
  private syncing: Promise<void> | undefined;
  private nextSync: Promise<void> | undefined;

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
      // The next batch is committed while the previous one's sync runs; its own sync covers both.
      while (this.queued.length) {
        const batch = this.queued.splice(0, MAX_BATCH);
        const outcomes = await this.commit(batch);
        if (outcomes) void this.settleWhenDurable(batch, outcomes);
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Runs the batch as one transaction; undefined (and every unit rejected) when it did not commit. */
  private async commit(batch: Pending[]): Promise<Outcome[] | undefined> {
    const outcomes: Outcome[] = [];
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
      return undefined;
    }
    return outcomes;
  }

  private async settleWhenDurable(batch: Pending[], outcomes: Outcome[]): Promise<void> {
    try {
      await this.syncStartingNow();
    } catch (error) {
      // Committed, but perhaps not on the disk: nobody may act on it. A caller that retries finds what was kept.
      for (const unit of batch) unit.reject(error);
      return;
    }
    batch.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }

  /**
   * Resolves after a sync that started after this call, so it covers everything committed before. One sync runs
   * at a time: batches committed while it runs share the next one, as their commits shared a transaction.
   */
  private syncStartingNow(): Promise<void> {
    if (!this.syncing) return (this.syncing = this.startSync());
    this.nextSync ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.nextSync = undefined;
        return (this.syncing = this.startSync());
      });
    return this.nextSync;
  }

  private startSync(): Promise<void> {
    const running: Promise<void> = this.sync().finally(() => {
      if (this.syncing === running) this.syncing = undefined;
    });
    return running;
  }
}
