import { randomUUID } from 'node:crypto';
import { ExpressionBuilder, Selectable, sql } from 'kysely';
import { lockForClaim } from './dialect';
import type { JobsTable, Tables } from './schema';
import type { Scope } from './scope';
import type { ClaimedJob, Job, Lease, NewJob, QueueStats } from './types';

type JobRow = Selectable<JobsTable>;

/** Due and not held by a live claim. */
const claimable = (now: number) => (eb: ExpressionBuilder<Tables, 'jobs'>) =>
  eb.and([eb('state', '=', 'queued'), eb('run_at', '<=', now), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)])]);

/** Rows still held by this claim: a claimant whose lease ran out and was taken over matches nothing. */
const heldBy = (lease: Lease) => (eb: ExpressionBuilder<Tables, 'jobs'>) => eb.and([eb('id', '=', lease.jobId), eb('lease_id', '=', lease.leaseId)]);

/**
 * A generic durable queue of leased jobs. A job is claimed by an owner for a while (its lease), kept alive by
 * heartbeats while it runs, and then finished or rescheduled; what it must not do twice it records first in its
 * checkpoint. Every write by a claimant is fenced by its lease, so two workers never both act on one job.
 * The queue knows nothing of what jobs do.
 */
export class JobQueue {
  constructor(private readonly scope: Scope) {}

  /**
   * Adds a job, unless one with this ID is still queued; a finished one with this ID starts afresh (the same
   * result delivered again after an operator's retry, say). True when the job was added or started afresh.
   */
  async enqueue(job: NewJob, now: number): Promise<boolean> {
    return (await this.enqueueAll([job], now)) > 0;
  }

  /** `enqueue` for jobs of distinct IDs, in one statement; how many were added or started afresh. */
  async enqueueAll(jobs: NewJob[], now: number): Promise<number> {
    if (!jobs.length) return 0;
    const rows = jobs.map((job) => ({ id: job.id, ...freshJobColumns(job, now) }));
    const restart = Object.fromEntries(RESTARTED_JOB_COLUMNS.map((column) => [column, sql.ref(`excluded.${column}`)]));
    const result = await this.scope.db
      .insertInto('jobs')
      .values(rows)
      .onConflict((oc) => oc.column('id').doUpdateSet(restart).where('jobs.state', '!=', 'queued'))
      .executeTakeFirst();
    const added = Number(result.numInsertedOrUpdatedRows ?? 0);
    if (added) this.scope.afterCommit(() => this.scope.signals.workQueued());
    return added;
  }

  async get(id: string): Promise<Job | undefined> {
    const row = await this.scope.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  /** Claims up to `limit` due jobs of the given kinds, oldest due first, leaving out those `skip` names. */
  async claimDue(owner: string, now: number, leaseMs: number, limit: number, kinds: readonly string[], skip: readonly string[] = []): Promise<ClaimedJob[]> {
    if (limit <= 0 || kinds.length === 0) return [];
    const { db, dialect } = this.scope;
    const leaseId = randomUUID();
    // The due rows are picked once (a materialized CTE, so the LIMIT holds however the update is planned), then
    // re-checked on the row being updated: on PostgreSQL a row another instance just claimed no longer matches.
    const rows = await db
      .with(
        (cte) => cte('due').materialized(),
        (qb) =>
          lockForClaim(
            dialect,
            qb
              .selectFrom('jobs')
              .select('id')
              .where(claimable(now))
              .where('kind', 'in', kinds)
              .$if(skip.length > 0, (q) => q.where('id', 'not in', skip))
              .orderBy('run_at')
              .limit(limit),
          ),
      )
      .updateTable('jobs')
      .set(this.leaseColumns(owner, leaseId, now, leaseMs))
      .from('due')
      .whereRef('jobs.id', '=', 'due.id')
      .where(claimable(now))
      .returningAll() // the jobs row (and, on PostgreSQL, the CTE's copy of its id)
      .execute();
    return rows.map((row) => claimed(row, owner, leaseId)).sort((a, b) => a.runAt - b.runAt);
  }

  /** Claims one job if it is due and free (to start work the moment it arrives). */
  async claim(id: string, owner: string, now: number, leaseMs: number): Promise<ClaimedJob | undefined> {
    const leaseId = randomUUID();
    const row = await this.scope.db
      .updateTable('jobs')
      .set(this.leaseColumns(owner, leaseId, now, leaseMs))
      .where('id', '=', id)
      .where(claimable(now))
      .returningAll()
      .executeTakeFirst();
    return row ? claimed(row, owner, leaseId) : undefined;
  }

  private leaseColumns(owner: string, leaseId: string, now: number, leaseMs: number) {
    return { lease_owner: owner, lease_id: leaseId, lease_until: now + leaseMs, updated_at: now };
  }

  /** Extends a running job's claim; false when it was lost (the job must stop). */
  async heartbeat(lease: Lease, now: number, leaseMs: number): Promise<boolean> {
    return this.changed(this.scope.db.updateTable('jobs').set({ lease_until: now + leaseMs }).where(heldBy(lease)).where('state', '=', 'queued'));
  }

  async saveCheckpoint(lease: Lease, checkpoint: Record<string, unknown>, now: number): Promise<boolean> {
    return this.changed(this.scope.db.updateTable('jobs').set({ checkpoint_json: JSON.stringify(checkpoint), updated_at: now }).where(heldBy(lease)));
  }

  /**
   * Gives the claim back and sets the next look. `failed` counts it as a failed attempt (with `error`);
   * otherwise the job is waiting for something that is not a failure, said in `waitingFor`.
   */
  async reschedule(lease: Lease, next: { runAt: number; failed: boolean; error?: string; waitingFor?: string }, now: number): Promise<boolean> {
    return this.changed(
      this.scope.db
        .updateTable('jobs')
        .set((eb) => ({
          run_at: next.runAt,
          attempts: next.failed ? eb('attempts', '+', 1) : eb.ref('attempts'),
          last_error: next.error ?? eb.ref('last_error'),
          waiting_for: next.waitingFor ?? null,
          lease_owner: null,
          lease_id: null,
          lease_until: null,
          updated_at: now,
        }))
        .where(heldBy(lease)),
      () => this.scope.signals.workQueued(),
    );
  }

  /** Ends the job: 'done', or 'failed' with the reason. Its checkpoint stays for an operator's retry. */
  async finish(lease: Lease, state: 'done' | 'failed', now: number, error?: string): Promise<boolean> {
    return this.changed(
      this.scope.db
        .updateTable('jobs')
        .set({ state, last_error: error ?? null, waiting_for: null, lease_owner: null, lease_id: null, lease_until: null, updated_at: now })
        .where(heldBy(lease)),
    );
  }

  /** Puts a finished job back in the queue, due now, with its checkpoint kept and its attempts reset. */
  async requeue(id: string, now: number): Promise<boolean> {
    return this.changed(
      this.scope.db
        .updateTable('jobs')
        .set({ state: 'queued', run_at: now, attempts: 0, last_error: null, waiting_for: null, updated_at: now })
        .where('id', '=', id)
        .where('state', '!=', 'queued'),
      () => this.scope.signals.workQueued(),
    );
  }

  /** Moves a queued job's next look earlier (work it waits for may be possible now). */
  async bringForward(id: string, runAt: number, now: number): Promise<boolean> {
    return this.changed(
      this.scope.db.updateTable('jobs').set({ run_at: runAt, updated_at: now }).where('id', '=', id).where('state', '=', 'queued').where('run_at', '>', runAt),
      () => this.scope.signals.workQueued(),
    );
  }

  /** Moves every queued job waiting for `waitingFor` to `runAt` (what they waited for is there now); how many. */
  async bringForwardWaiting(waitingFor: string, runAt: number, now: number): Promise<number> {
    const result = await this.scope.db
      .updateTable('jobs')
      .set({ run_at: runAt, updated_at: now })
      .where('state', '=', 'queued')
      .where('waiting_for', '=', waitingFor)
      .where('run_at', '>', runAt)
      .executeTakeFirst();
    const moved = Number(result.numUpdatedRows);
    if (moved) this.scope.afterCommit(() => this.scope.signals.workQueued());
    return moved;
  }

  /** How many queued jobs wait for `waitingFor`, and the problem the latest of them recorded. */
  async waiting(waitingFor: string): Promise<{ count: number; lastError?: string }> {
    const waiting = this.scope.db.selectFrom('jobs').where('state', '=', 'queued').where('waiting_for', '=', waitingFor);
    const counted = await waiting.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    const latest = await waiting.select('last_error').orderBy('updated_at', 'desc').limit(1).executeTakeFirst();
    return { count: Number(counted.count), lastError: latest?.last_error ?? undefined };
  }

  /**
   * Frees claims that no running worker holds any more: every claim (`owners` = 'all', a store only one process
   * uses), or those of owners whose name starts with a prefix (an instance's previous run).
   */
  async releaseClaims(owners: 'all' | { prefix: string; except: string }, now: number): Promise<number> {
    let query = this.scope.db.updateTable('jobs').set({ lease_owner: null, lease_id: null, lease_until: null, updated_at: now }).where('lease_owner', 'is not', null);
    if (owners !== 'all') {
      query = query.where(sql<string>`substr(lease_owner, 1, ${owners.prefix.length})`, '=', owners.prefix).where('lease_owner', '!=', owners.except);
    }
    const result = await query.executeTakeFirst();
    const released = Number(result.numUpdatedRows);
    if (released) this.scope.afterCommit(() => this.scope.signals.workQueued());
    return released;
  }

  async stats(): Promise<QueueStats> {
    const rows = await this.scope.db
      .selectFrom('jobs')
      .select((eb) => ['kind', eb.fn.countAll<number>().as('count'), eb.fn.min<number>('created_at').as('oldest')])
      .where('state', '=', 'queued')
      .groupBy('kind')
      .execute();
    return Object.fromEntries(rows.map((row) => [row.kind, { count: Number(row.count), oldestCreatedAt: row.oldest ?? undefined }]));
  }

  /** The earliest time a queued job of these kinds can be claimed (due, and its claim expired if it has one). */
  async nextDueAt(kinds: readonly string[]): Promise<number | undefined> {
    if (kinds.length === 0) return undefined;
    const row = await this.scope.db
      .selectFrom('jobs')
      .select((eb) =>
        eb.fn
          .min<number>(eb.case().when(eb.and([eb('lease_until', 'is not', null), eb('lease_until', '>', eb.ref('run_at'))])).then(eb.ref('lease_until')).else(eb.ref('run_at')).end())
          .as('next'),
      )
      .where('state', '=', 'queued')
      .where('kind', 'in', kinds)
      .executeTakeFirst();
    return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
  }

  private async changed(query: { executeTakeFirst(): Promise<{ numUpdatedRows: bigint }> }, announce?: () => void): Promise<boolean> {
    const changed = Number((await query.executeTakeFirst()).numUpdatedRows) > 0;
    if (changed && announce) this.scope.afterCommit(announce);
    return changed;
  }
}

/** The columns a job with a finished one's ID sets afresh (all but the ID), as `freshJobColumns` writes them. */
export const RESTARTED_JOB_COLUMNS: readonly string[] = Object.keys(freshJobColumns({ id: '', kind: '', runAt: 0 }, 0));

/** A job as it is queued, or started afresh: every column but its ID. */
export function freshJobColumns(job: NewJob, now: number) {
  return {
    kind: job.kind,
    payload_json: JSON.stringify(job.payload ?? {}),
    state: 'queued' as const,
    run_at: job.runAt,
    attempts: 0,
    checkpoint_json: '{}',
    last_error: null,
    waiting_for: null,
    created_at: now,
    updated_at: now,
  };
}

function claimed(row: JobRow, owner: string, leaseId: string): ClaimedJob {
  return { ...toJob(row), lease: { jobId: row.id, leaseId, owner } };
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload_json) as unknown,
    state: row.state,
    runAt: Number(row.run_at),
    attempts: row.attempts,
    checkpoint: JSON.parse(row.checkpoint_json) as Record<string, unknown>,
    lastError: row.last_error ?? undefined,
    waitingFor: row.waiting_for ?? undefined,
    leaseOwner: row.lease_owner ?? undefined,
    leaseUntil: row.lease_until === null ? undefined : Number(row.lease_until),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
