/**
 * Spaces a reconciliation's Webex calls evenly, at most `callsPerSecond`, so that a run over hundreds of accounts
 * never takes more than that share of the partner's Webex rate budget from provisioning. Calls are spaced, never
 * bunched: a run that waited (on Webex, on the store) does not catch up with a burst. Its own module, so that it
 * can hand over to a pacer shared by every Webex call once there is one.
 */
export class CallPacer {
  private nextAt = 0;
  private readonly spacingMs: number;

  constructor(
    callsPerSecond: number,
    private readonly clock: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> } = systemPacing,
  ) {
    this.spacingMs = 1000 / callsPerSecond;
  }

  /** Resolves when the next call may go; rejects with the signal's reason when it is aborted first. */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = this.clock.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.spacingMs;
    if (at > now) await this.clock.sleep(at - now, signal);
  }
}

const systemPacing = {
  now: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', abort);
        resolve();
      }, ms);
      const abort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', abort, { once: true });
    }),
};
