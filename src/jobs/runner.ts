import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { backoffMs } from '../backoff';
import type { Clock } from '../clock';
import { Logger, withLogContext } from '../log';
import type { Store, StoreParts } from '../store';
import type { ClaimedJob } from '../store/types';

/** The job's claim was lost (its lease ran out and another worker took it): stop without touching it further. */
export class ClaimLostError extends Error {
  constructor(readonly jobId: string) {
    super(`lost the claim on job ${jobId}`);
  }
}

/** What a handler gets for one attempt at a job. */
export interface JobContext<P> {
  job: ClaimedJob<P>;
  log: Logger;
  now(): number;
  /** Aborted when the claim is lost: the attempt should stop at its next step. */
  signal: AbortSignal;
  /** Records the checkpoint before the step it guards; throws ClaimLostError when the claim was lost. */
  saveCheckpoint(checkpoint: Record<string, unknown>): Promise<void>;
  /** Runs changes in one transaction, after checking that the claim still holds (else ClaimLostError). */
  fenced<T>(work: (tx: StoreParts) => Promise<T>): Promise<T>;
}

/** How an attempt ends: the job is finished, or it is looked at again later. `commit` joins the same transaction. */
export type JobOutcome =
  | { kind: 'finish'; state?: 'done' | 'failed'; error?: string; commit?: (tx: StoreParts) => Promise<void>; after?: () => void }
  | { kind: 'later'; runAt: number; failed: boolean; error?: string; waitingFor?: string; commit?: (tx: StoreParts) => Promise<void>; after?: () => void };

export interface JobHandler<P = unknown> {
  kind: string;
  run(ctx: JobContext<P>): Promise<JobOutcome>;
}

/** Background upkeep that is not a job of its own (it touches many records at once). */
export interface Sweep {
  name: string;
  everyMs: number;
  run(now: number): Promise<void>;
}

export interface RunnerSettings {
  /** Jobs worked on at once. */
  concurrency: number;
  /** How long a claim lasts without a heartbeat; heartbeats renew it every third of that. */
  leaseMs: number;
  /** The longest sleep between looks at the queue (work of other instances, or missed news). */
  idlePollMs: number;
  /**
   * This instance's stable name: at start, claims its previous run left behind are taken back at once.
   * Undefined on a store one process owns: then every claim found at start was left behind.
   */
  instanceId?: string;
  /** Backoff of an attempt that threw something its handler did not expect. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Sweeps run only when `runSweeps` is called (tests that must not race them); on their timers otherwise. */
  manualSweeps?: boolean;
}

export interface RunnerDeps {
  store: Store;
  logger: Logger;
  clock: Clock;
  handlers: JobHandler<any>[];
  sweeps?: Sweep[];
  /**
   * How long new jobs of a kind should stay unclaimed (0 or less: claim them now). A job that would only queue for
   * a scarce resource (Webex's pace) is better left unclaimed: another instance, or this one a little later, takes
   * it. The runner looks again when the hold ends, not before.
   */
  holdsFor?: (kind: string) => number;
}

/**
 * Works the durable queue: due jobs of the kinds it has handlers for are claimed, attempted once while a
 * heartbeat keeps the claim, and then finished or rescheduled as the handler says. Nothing is held in memory
 * that the store does not also have, so a restart carries on where the last run stopped.
 */
export class JobRunner {
  readonly owner: string;
  private readonly handlers: Map<string, JobHandler<any>>;
  private readonly kinds: string[];
  private readonly running = new Map<string, Promise<void>>();
  private readonly timers = new Set<unknown>();
  private pollTimer?: unknown;
  private polling = false;
  private pollAgain = false;
  /** Until the first kind held back by `holdsFor` may be claimed (infinite when none is). */
  private heldForMs = Number.POSITIVE_INFINITY;
  private stopping = false;
  private stopListening?: () => void;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly settings: RunnerSettings,
  ) {
    this.handlers = new Map(deps.handlers.map((h) => [h.kind, h]));
    this.kinds = [...this.handlers.keys()];
    // The process ID tells an operator (and a test) which process holds a claim.
    this.owner = `${settings.instanceId ?? os.hostname()}/${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  async start(): Promise<void> {
    const { store, clock, logger } = this.deps;
    const { instanceId } = this.settings;
    const released = await store.queue.releaseClaims(instanceId === undefined ? 'all' : { prefix: `${instanceId}/`, except: this.owner }, clock.now());
    if (released) logger.info({ released }, 'resuming jobs left in progress by the previous run');
    this.stopListening = store.onWork(() => this.poke());
    if (!this.settings.manualSweeps) for (const sweep of this.deps.sweeps ?? []) this.scheduleSweep(sweep, 0);
    this.poke();
  }

  /** Stops taking work and waits (up to graceMs) for attempts in flight; unfinished ones resume on the next start. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.stopListening?.();
    for (const timer of this.timers) this.deps.clock.clearTimeout(timer);
    this.timers.clear();
    await Promise.race([Promise.allSettled([...this.running.values()]), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Looks at the queue now (work was queued, or a slot came free). */
  poke(): void {
    if (this.stopping) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    void this.poll();
  }

  private async poll(): Promise<void> {
    this.polling = true;
    const { store, clock, logger } = this.deps;
    try {
      do {
        this.pollAgain = false;
        const free = this.settings.concurrency - this.running.size;
        if (free <= 0) break;
        const kinds = this.claimableKinds();
        if (!kinds.length) break;
        // An attempt of ours that lost its claim may still be running: it is not started twice here.
        const due = await store.queue.claimDue(this.owner, clock.now(), this.settings.leaseMs, free, kinds, [...this.running.keys()]);
        for (const job of due) this.run(job);
        if (due.length === free) this.pollAgain = true;
      } while (this.pollAgain && !this.stopping);
      await this.sleepUntilNextDue();
    } catch (err) {
      logger.error({ err: errorText(err) }, 'job queue poll failed');
      this.wakeIn(this.settings.idlePollMs);
    } finally {
      this.polling = false;
    }
    // News that came while the next sleep was being worked out must not wait for that sleep to end.
    if (this.pollAgain) this.poke();
  }

  /** The kinds not held back now; `heldForMs` says when the first held one may be claimed. */
  private claimableKinds(): string[] {
    this.heldForMs = Number.POSITIVE_INFINITY;
    if (!this.deps.holdsFor) return this.kinds;
    return this.kinds.filter((kind) => {
      const holdMs = this.deps.holdsFor!(kind);
      if (holdMs > 0) this.heldForMs = Math.min(this.heldForMs, holdMs);
      return holdMs <= 0;
    });
  }

  private async sleepUntilNextDue(): Promise<void> {
    if (this.running.size >= this.settings.concurrency) return; // a finishing job pokes
    // Held kinds are left out: their due jobs would wake the runner at once, again and again, to claim nothing.
    const kinds = this.claimableKinds();
    const next = kinds.length ? await this.deps.store.queue.nextDueAt(kinds) : undefined;
    const nextDueMs = next === undefined ? Number.POSITIVE_INFINITY : Math.max(0, next - this.deps.clock.now());
    this.wakeIn(Math.min(this.settings.idlePollMs, this.heldForMs, nextDueMs));
  }

  private wakeIn(ms: number): void {
    if (this.stopping) return;
    if (this.pollTimer !== undefined) {
      this.deps.clock.clearTimeout(this.pollTimer);
      this.timers.delete(this.pollTimer);
    }
    const timer = this.deps.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.pollTimer = undefined;
      this.poke();
    }, ms);
    this.pollTimer = timer;
    this.timers.add(timer);
  }

  /** Runs every sweep once, now. */
  async runSweeps(): Promise<void> {
    for (const sweep of this.deps.sweeps ?? []) await this.sweep(sweep);
  }

  private async sweep(sweep: Sweep): Promise<void> {
    try {
      await sweep.run(this.deps.clock.now());
    } catch (err) {
      this.deps.logger.error({ sweep: sweep.name, err: errorText(err) }, 'background sweep failed');
    }
  }

  private scheduleSweep(sweep: Sweep, delayMs: number): void {
    if (this.stopping) return;
    const timer = this.deps.clock.setTimeout(async () => {
      this.timers.delete(timer);
      await this.sweep(sweep);
      this.scheduleSweep(sweep, sweep.everyMs);
    }, delayMs);
    this.timers.add(timer);
  }

  private run(job: ClaimedJob): void {
    const attempt = withLogContext({ job: job.id }, () => this.attempt(job))
      .catch((err) => this.deps.logger.error({ job: job.id, err: errorText(err) }, 'job failed unexpectedly'))
      .finally(() => {
        this.running.delete(job.id);
        this.poke();
      });
    this.running.set(job.id, attempt);
  }

  private async attempt(job: ClaimedJob): Promise<void> {
    const { store, clock, logger } = this.deps;
    const handler = this.handlers.get(job.kind)!;
    const lost = new AbortController();
    const heartbeat = this.keepAlive(job, lost);
    const ctx: JobContext<unknown> = {
      job,
      log: logger,
      now: () => clock.now(),
      signal: lost.signal,
      saveCheckpoint: async (checkpoint) => {
        if (!(await store.queue.saveCheckpoint(job.lease, checkpoint, clock.now()))) throw new ClaimLostError(job.id);
      },
      fenced: (work) =>
        store.transaction(async (tx) => {
          if (!(await tx.queue.heartbeat(job.lease, clock.now(), this.settings.leaseMs))) throw new ClaimLostError(job.id);
          return work(tx);
        }),
    };
    try {
      let outcome: JobOutcome;
      try {
        outcome = await handler.run(ctx);
      } catch (err) {
        if (err instanceof ClaimLostError) throw err;
        // A handler decides about the failures it knows; anything else is retried with backoff.
        const delay = backoffMs(job.attempts + 1, this.settings.retryBaseMs, this.settings.retryMaxMs);
        logger.error({ err: errorText(err), retryInMs: delay }, 'job attempt failed unexpectedly; will retry');
        outcome = { kind: 'later', runAt: clock.now() + delay, failed: true, error: errorText(err) };
      }
      await this.apply(job, outcome);
    } catch (err) {
      if (!(err instanceof ClaimLostError)) throw err;
      logger.warn('another worker took this job over; leaving it to them');
    } finally {
      clock.clearTimeout(heartbeat.timer());
      this.timers.delete(heartbeat.timer());
    }
  }

  private async apply(job: ClaimedJob, outcome: JobOutcome): Promise<void> {
    const { store, clock } = this.deps;
    await store.transaction(async (tx) => {
      const now = clock.now();
      const kept =
        outcome.kind === 'finish'
          ? await tx.queue.finish(job.lease, outcome.state ?? 'done', now, outcome.error)
          : await tx.queue.reschedule(job.lease, { runAt: outcome.runAt, failed: outcome.failed, error: outcome.error, waitingFor: outcome.waitingFor }, now);
      if (!kept) throw new ClaimLostError(job.id);
      await outcome.commit?.(tx);
    });
    outcome.after?.();
  }

  /** Renews the claim every third of a lease while the attempt runs; a refused renewal aborts the attempt. */
  private keepAlive(job: ClaimedJob, lost: AbortController): { timer(): unknown } {
    const { store, clock, logger } = this.deps;
    const every = Math.max(1, Math.floor(this.settings.leaseMs / 3));
    let current: unknown;
    const beat = () => {
      this.timers.delete(current);
      store.queue.heartbeat(job.lease, clock.now(), this.settings.leaseMs).then(
        (held) => {
          if (!held) return lost.abort();
          if (this.running.has(job.id)) schedule();
        },
        (err: unknown) => {
          logger.warn({ job: job.id, err: errorText(err) }, 'could not renew a job claim; trying again');
          if (this.running.has(job.id)) schedule();
        },
      );
    };
    const schedule = () => {
      current = clock.setTimeout(beat, every);
      this.timers.add(current);
    };
    schedule();
    return { timer: () => current };
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
