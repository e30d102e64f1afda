/**
 * Paces Webex calls ahead of Webex's rate limit, instead of learning it only by being refused. Every call of one
 * connector (all its jobs) takes a slot first; slots are spaced at the current rate. The rate is the configured
 * one (WEBEX_MAX_CALLS_PER_SECOND, divided among the instances sharing it) or, without one, learnt: it starts at
 * 100 calls a second and grows by half each busy second until Webex first answers 429; a 429 pauses every call for its Retry-After and sets the
 * rate just below what Webex was admitting; calls that go through raise it again slowly, so the pace stays just
 * under the limit and 429s stay rare.
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
/** After a 429 the rate drops to this share of what Webex admitted in the last second. */
const BACK_OFF = 0.9;
/** Calls admitted in the last second, as a share of the pace, from which a 429 means the pace is too fast. */
const AT_PACE = 0.5;
/** Each second without a 429 the learnt rate grows by this share (and at least one call a second). */
const GROWTH = 0.03;

export class WebexPacer {
  private rate: number;
  private ceiling: number | undefined;
  /** Doubling each second, until Webex first says no. */
  private slowStart = true;
  private nextSlotAt = 0;
  private pausedUntil = 0;
  private grownAt = 0;
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

  /** Waits for this call's slot. */
  async acquire(): Promise<void> {
    const now = this.now();
    const start = Math.max(now, this.pausedUntil, this.nextSlotAt);
    this.nextSlotAt = start + 1000 / this.rate;
    if (start > now) await this.sleep(start - now);
  }

  /** How long a call asking now would wait for its slot: the runner takes no new work while this is long. */
  backlogMs(): number {
    return Math.max(0, Math.max(this.pausedUntil, this.nextSlotAt) - this.now());
  }

  /** Webex took the call. */
  succeeded(): void {
    const now = this.now();
    this.admitted.push(now);
    while (this.admitted.length && this.admitted[0] <= now - 1000) this.admitted.shift();
    // Grows only when the calls actually go at about the pace: a quiet connector learns nothing about the limit.
    if (this.ceiling !== undefined || now - this.grownAt < 1000 || this.admitted.length < this.rate * AT_PACE) return;
    this.grownAt = now;
    this.rate = Math.min(MAX_RATE, this.slowStart ? this.rate * SLOW_START : this.rate + Math.max(1, this.rate * GROWTH));
  }

  /**
   * Webex answered 429. When the calls were going at about the pace, the pace was too fast: every call waits out
   * the Retry-After, and the pace drops just below what Webex was admitting — once per pause (the calls refused
   * meanwhile were sent before it), and at most by half. A 429 while far below the pace (another client of the
   * partner using the allowance, a passing fault) says nothing about the pace: only the refused call waits.
   */
  throttled(retryAfterMs: number | undefined): void {
    const now = this.now();
    if (now < this.pausedUntil || this.ceiling !== undefined) return;
    const admittedLastSecond = this.admitted.filter((at) => at > now - 1000).length;
    if (admittedLastSecond < this.rate * AT_PACE) return;
    this.pausedUntil = now + (retryAfterMs ?? 1000);
    this.grownAt = this.pausedUntil;
    this.slowStart = false;
    this.rate = Math.max(MIN_RATE, Math.min(this.rate, Math.max(admittedLastSecond * BACK_OFF, this.rate / 2)));
  }
}
