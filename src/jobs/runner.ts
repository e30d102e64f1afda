import { EventEmitter } from 'node:events';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { AppDirectError } from '../appdirect/client';
import type { AppDirectEvent } from '../appdirect/eventSchema';
import { AppDirectResult, failure } from '../appdirect/results';
import { Logger, withLogContext } from '../log';
import type { JobObserver } from '../metrics/observers';
import { exhausted, judge } from '../provisioning/failures';
import type { EventRecord } from '../store/types';
import { backoffMs } from './backoff';
import { attemptEvent, ClaimLostError, WorkDeps } from './eventWork';

export interface RunnerSettings {
  concurrency: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  pollIntervalMs: number;
  provisioningTimeoutMs: number;
  /** How long a claim protects an event from other workers; longer than any single attempt. */
  leaseMs: number;
  /** How often the queue is looked at for due work. */
  tickMs: number;
  /** Requests older than this that never answered (a crash) get their result asynchronously. */
  unansweredAfterMs: number;
}

type Settled = { token: string; record: EventRecord };

/**
 * Works the durable queue: each due event is claimed, attempted once, and then completed,
 * rescheduled (Webex still busy, or a transient failure with backoff) or delivered to AppDirect.
 * Nothing is held in memory that the store does not also have, so a restart carries on.
 */
export class JobRunner {
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly events = new EventEmitter();
  private readonly running = new Map<string, Promise<void>>();
  private timer?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly deps: WorkDeps & { logger: Logger; observer?: JobObserver },
    private readonly settings: RunnerSettings,
  ) {
    this.events.setMaxListeners(0);
  }

  async start(): Promise<void> {
    const now = this.deps.now();
    const released = await this.deps.store.releaseStaleClaims(now);
    if (released) this.deps.logger.info({ released }, 'resuming events left in progress by the previous run');
    this.schedule(0);
  }

  /** Stops taking work and waits (up to graceMs) for attempts in flight; unfinished ones resume on the next start. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.events.emit('shutdown');
    await Promise.race([Promise.allSettled([...this.running.values()]), new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Starts work on an event now, without waiting for the next tick. */
  kick(token: string): void {
    if (this.stopping || this.running.has(token) || this.running.size >= this.settings.concurrency) return;
    void this.deps.store.claim(token, this.owner, this.deps.now(), this.settings.leaseMs).then((record) => record && this.run(record));
  }

  onTyped(token: string, listener: (event: AppDirectEvent) => void): () => void {
    this.events.on(`typed:${token}`, listener);
    return () => this.events.off(`typed:${token}`, listener);
  }

  onSettled(token: string, listener: (s: Settled) => void): () => void {
    this.events.on(`settled:${token}`, listener);
    return () => this.events.off(`settled:${token}`, listener);
  }

  onShutdown(listener: () => void): () => void {
    this.events.on('shutdown', listener);
    return () => this.events.off('shutdown', listener);
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    try {
      const now = this.deps.now();
      await this.deps.store.adoptUnanswered(now - this.settings.unansweredAfterMs, now);
      const free = this.settings.concurrency - this.running.size;
      if (free > 0) {
        const due = await this.deps.store.claimDue(this.owner, now, this.settings.leaseMs, free);
        // An attempt of ours that outlived its lease is still running: let it finish rather than start a twin.
        for (const record of due) if (!this.running.has(record.token)) this.run(record);
      }
    } catch (err) {
      this.deps.logger.error({ err: errorText(err) }, 'job queue tick failed');
    }
    this.schedule(this.settings.tickMs);
  }

  private run(record: EventRecord): void {
    const job = withLogContext({ eventToken: record.token }, () => (record.phase === 'deliver' ? this.deliver(record) : this.work(record)))
      .catch((err) => this.deps.logger.error({ eventToken: record.token, err: errorText(err) }, 'job failed unexpectedly'))
      .finally(() => this.running.delete(record.token));
    this.running.set(record.token, job);
  }

  private async work(record: EventRecord): Promise<void> {
    const { store, now } = this.deps;
    const log = this.deps.logger;
    // An operator's retry gives the event a fresh deadline; otherwise an old event would fail at once.
    if (now() - (record.retriedAt ?? record.receivedAt) > this.settings.provisioningTimeoutMs) {
      const minutes = Math.round(this.settings.provisioningTimeoutMs / 60_000);
      await this.finish(record, failure('UNKNOWN_ERROR', `Webex did not finish within ${minutes} minutes; last problem: ${record.lastError ?? 'none'}`), log);
      return;
    }
    try {
      const outcome = await attemptEvent(this.deps, record, this.owner, log, (event) => this.events.emit(`typed:${record.token}`, event));
      if (outcome.kind === 'done') {
        await this.finish(record, outcome.result, log);
      } else {
        log.debug({ reason: outcome.reason }, 'waiting for Webex');
        await store.reschedule(record.token, this.owner, { runAt: now() + this.settings.pollIntervalMs, failed: false, lastError: undefined }, now());
      }
    } catch (err) {
      if (err instanceof ClaimLostError) {
        log.warn('another worker took this event over; leaving it to them');
        return;
      }
      const verdict = judge(err);
      const attempts = record.attempts + 1;
      if (verdict.transient && attempts < this.settings.maxAttempts) {
        const delay = Math.max(verdict.retryAfterMs ?? 0, backoffMs(attempts, this.settings.retryBaseMs, this.settings.retryMaxMs));
        log.warn({ attempt: attempts, retryInMs: delay, problem: verdict.message }, 'transient failure; will retry');
        await store.addTimeline(record.token, 'retry', `attempt ${attempts} failed (${verdict.message}); retrying in ${delay} ms`, now());
        this.deps.observer?.retrying('event_attempt');
        await store.reschedule(record.token, this.owner, { runAt: now() + delay, failed: true, lastError: verdict.message }, now());
        return;
      }
      await this.finish(record, verdict.transient ? exhausted(verdict.message, attempts) : verdict.result, log);
    }
  }

  private async finish(record: EventRecord, result: AppDirectResult, log: Logger): Promise<void> {
    const { store, now } = this.deps;
    const completed = await store.complete(record.token, this.owner, result, now());
    if (!completed) return; // the claim was lost: another worker owns the event now
    if (result.success) log.info({ result }, 'event resolved');
    else log.warn({ result }, 'event failed');
    await store.addTimeline(record.token, 'result', describeResult(result), now());
    this.deps.observer?.eventSettled(completed.type, result);
    this.events.emit(`settled:${record.token}`, { token: record.token, record: completed });
    // AppDirect is waiting for this result: deliver it in this same job rather than queue it behind older work.
    if (completed.phase === 'deliver') {
      const claimed = await store.claim(record.token, this.owner, now(), this.settings.leaseMs);
      if (claimed) await this.deliver(claimed);
    }
  }

  private async deliver(record: EventRecord): Promise<void> {
    const { store, now } = this.deps;
    const log = this.deps.logger;
    try {
      await this.deps.appDirect.postResult(record.token, record.result!);
      await store.markDelivered(record.token, this.owner, now());
      this.deps.observer?.resultDelivered('delivered');
      await store.addTimeline(record.token, 'delivered', 'result delivered to AppDirect', now());
      log.info('result delivered to AppDirect');
    } catch (err) {
      // AppDirect keeps the subscription pending until it hears from us: keep trying unless it said the event is gone.
      const final = err instanceof AppDirectError && (err.kind === 'not_found' || (err.kind === 'invalid_response' && err.status !== undefined && err.status < 500) || (err.kind === 'rejected' && err.status !== 401 && err.status !== 403));
      const message = errorText(err);
      if (final) {
        log.error({ problem: message }, 'AppDirect refused the result; giving up on delivery');
        await store.markDeliveryRejected(record.token, this.owner, message, now());
        this.deps.observer?.resultDelivered('rejected');
        return;
      }
      const attempts = record.attempts + 1;
      const retryAfter = err instanceof AppDirectError ? err.retryAfterMs ?? 0 : 0;
      const delay = Math.max(retryAfter, backoffMs(attempts, this.settings.retryBaseMs, this.settings.retryMaxMs));
      log.warn({ attempt: attempts, retryInMs: delay, problem: message }, 'result delivery failed; will retry');
      await store.reschedule(record.token, this.owner, { runAt: now() + delay, failed: true, lastError: message }, now());
      this.deps.observer?.retrying('result_delivery');
    }
  }
}

function describeResult(result: AppDirectResult): string {
  return result.success ? `success${result.message ? `: ${result.message}` : ''}` : `${result.errorCode}: ${result.message}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
