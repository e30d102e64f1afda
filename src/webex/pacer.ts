/**
 * Paces Webex calls ahead of Webex's rate limit, instead of learning it only by being refused. Every call of one
 * connector (all its jobs) takes a slot first; slots are spaced at the current rate. The rate is the configured
 * one (WEBEX_MAX_CALLS_PER_SECOND, divided among the instances sharing it) or, without one, learnt, the way TCP
 * learns a congestion window:
 * - it starts at 100 calls a second and grows by half each second the calls go at that pace, until Webex first
 *   answers 429;
 * - a 429 for a call sent at the current pace pauses every call for its Retry-After and lowers the pace below
 *   what Webex was admitting. A 429 for a call sent before the last lowering was answered to the old pace and is
 *   not counted again; the refused call itself waits and retries in the HTTP layer either way. What Webex admits
 *   is measured since the last lowering when that was recent, pause included: a limit that lets a burst through
 *   after a pause (a token bucket) then shows its true rate, not the burst;
 * - from then on each second at the pace raises it by a few per cent, so the pace stays just under the limit and
 *   429s stay rare.
 * It grows only while the calls actually go at about the pace, so a pace the connector does not use cannot swell
 * far above what Webex has shown it takes.
 */
export interface PacerSettings {
  /** The partner's allowance for this instance; undefined: learnt from 429s. */
  maxPerSecond?: number;
  /** Where a learnt rate starts (default 100 calls a second). */
  initialPerSecond?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Below this the learnt rate never goes: some progress always. */
const MIN_RATE = 1;
/** Above this the learnt rate never goes. */
const MAX_RATE = 10_000;
/** Where a learnt rate starts, unless told otherwise. */
const INITIAL_RATE = 100;
/** Until the first 429, a learnt rate grows by half each second the calls go at that pace. */
const SLOW_START = 1.5;
/** A 429 lowers the rate to this share of the lower of the rate and what Webex admitted in the last second. */
const BACK_OFF = 0.9;
/** Calls admitted in the last second, as a share of the pace, from which the calls count as going at the pace. */
const AT_PACE = 0.9;
/** Calls admitted (over the span a lowering measures), as a share of the pace, below which a 429 is not the pace's doing. */
const FAR_BELOW_PACE = 0.5;
/** After the first 429, each second at the pace raises the learnt rate by this share (and at least one call). */
const GROWTH = 0.03;
/** A lowering this recent is where the next one measures what Webex admits from; older ones, the last second. */
const MEASURE_SINCE_LOWERING_MS = 10_000;

export class WebexPacer {
  private rate: number;
  private ceiling: number | undefined;
  private slowStart = true;
  private nextSlotAt = 0;
  private pausedUntil = 0;
  private grownAt: number;
  /** When the rate was last lowered. */
  private loweredAt = Number.NEGATIVE_INFINITY;
  /** Counts the lowerings: a call given its slot before the last one went at the old pace. */
  private epoch = 0;
  /** When Webex took each call of the last MEASURE_SINCE_LOWERING_MS, oldest first. */
  private readonly admitted: number[] = [];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(settings: PacerSettings = {}) {
    this.now = settings.now ?? Date.now;
    this.sleep = settings.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.rate = settings.maxPerSecond ?? settings.initialPerSecond ?? INITIAL_RATE;
    this.ceiling = settings.maxPerSecond;
    this.grownAt = this.now();
  }

  /** The configured allowance for this instance (the total divided by the live instances), or undefined to learn. */
  share(maxPerSecond: number | undefined): void {
    this.ceiling = maxPerSecond;
    if (maxPerSecond !== undefined) this.rate = maxPerSecond;
  }

  /**
   * Waits for this call's slot. Resolves to the pace the call went at, which `throttled` wants back. A call whose
   * slot was given at a pace that dropped while it waited takes a new one, after the pause, at the new pace.
   */
  async acquire(): Promise<number> {
    for (;;) {
      const epoch = this.epoch;
      const now = this.now();
      const start = Math.max(now, this.pausedUntil, this.nextSlotAt);
      this.nextSlotAt = start + 1000 / this.rate;
      if (start > now) await this.sleep(start - now);
      if (epoch === this.epoch) return epoch;
    }
  }

  /** How long a call asking now would wait for its slot: the runner takes no new work while this is long. */
  backlogMs(): number {
    return Math.max(0, Math.max(this.pausedUntil, this.nextSlotAt) - this.now());
  }

  /** Webex took the call. */
  succeeded(): void {
    const now = this.now();
    this.admitted.push(now);
    while (this.admitted[0] <= now - MEASURE_SINCE_LOWERING_MS) this.admitted.shift();
    if (this.ceiling !== undefined || now - this.grownAt < 1000 || this.admittedPerSecond(now - 1000, now) < this.rate * AT_PACE) return;
    this.grownAt = now;
    this.rate = Math.min(MAX_RATE, this.slowStart ? this.rate * SLOW_START : this.rate + Math.max(1, this.rate * GROWTH));
  }

  /**
   * Webex refused with 429 the call that went at `pace` (what `acquire` gave it). Only a call sent at the current
   * pace says the pace is too fast; and a 429 while the calls go far below the pace (another client of the partner
   * using the allowance, a passing fault) says nothing about it.
   */
  throttled(pace: number, retryAfterMs: number | undefined): void {
    const now = this.now();
    if (this.ceiling !== undefined || pace !== this.epoch) return;
    const recentlyLowered = now - this.loweredAt < MEASURE_SINCE_LOWERING_MS && now - this.loweredAt >= 1000;
    const admitted = this.admittedPerSecond(recentlyLowered ? this.loweredAt : now - 1000, now);
    // Measured over the same span as the lowering would be: a 429 soon after a pause, with few calls since, is not
    // the pace's doing. Without this, refusals that come at random (a fault, another client) would each lower the
    // pace to a share of what little went through around the last pause, down to a call a second.
    if (admitted < this.rate * FAR_BELOW_PACE) return;
    this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? 1000));
    this.nextSlotAt = this.pausedUntil;
    this.epoch++;
    this.loweredAt = now;
    this.grownAt = this.pausedUntil;
    this.slowStart = false;
    this.rate = Math.max(MIN_RATE, BACK_OFF * Math.min(this.rate, admitted));
  }

  /** Calls a second Webex took between `since` and `until`. */
  private admittedPerSecond(since: number, until: number): number {
    let first = 0;
    let past = this.admitted.length;
    // Binary search: the times are in order, and a busy second holds hundreds of them.
    while (first < past) {
      const middle = (first + past) >> 1;
      if (this.admitted[middle] <= since) first = middle + 1;
      else past = middle;
    }
    return ((this.admitted.length - first) * 1000) / (until - since);
  }
}
