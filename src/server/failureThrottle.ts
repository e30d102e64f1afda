import { setTimeout as sleep } from 'node:timers/promises';

/** The endpoints that check a secret: each counts its failures apart. */
export type AuthEndpoint = 'notifications' | 'token' | 'admin' | 'metrics';

/** How to answer a failed attempt: 401 after the delay it earned, or 429 at once when too many are held already. */
export type FailureAnswer = { kind: 'slowed'; delayMs: number } | { kind: 'shed'; retryAfterSeconds: number };

/**
 * Slows down guessing without ever refusing valid credentials: callers are verified first, and only failures
 * reach the throttle. Each failure is held for a delay that doubles with the failures of its source in the
 * window, up to a cap; at most `maxHeld` failures are held at once, so a flood of guesses costs the attacker
 * time and never ties up what AppDirect needs. A caller with the right credentials is served at once, whatever
 * anyone else sends, behind a balancer too.
 */
export interface FailureThrottle {
  failed(endpoint: AuthEndpoint, source: string): Promise<FailureAnswer>;
}

export interface FailureThrottleSettings {
  /** The delay after a source's first failure in the window, doubled by each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How many failed attempts may be held (waiting out their delay) at once, across all sources. */
  maxHeld: number;
  /** How long a source's failures are remembered, from its first one. */
  windowMs: number;
  /** How many sources are told apart at a time; beyond that, new ones share one count, so memory stays bounded. */
  maxSources: number;
}

export const FAILURE_THROTTLE_DEFAULTS: FailureThrottleSettings = { baseDelayMs: 100, maxDelayMs: 5000, maxHeld: 64, windowMs: 15 * 60_000, maxSources: 10_000 };

/** Adds one failure to a key and answers how many it has in the window (rate-limiter-flexible's `penalty`). */
export interface FailureCounter {
  penalty(key: string): Promise<{ consumedPoints: number }>;
}

export const delayAfter = (failures: number, settings: FailureThrottleSettings): number =>
  Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));

export function createFailureThrottle(deps: {
  counter: FailureCounter;
  settings?: Partial<FailureThrottleSettings>;
  now: () => number;
  /** When the connector stops, held failures are answered at once. */
  stopping: AbortSignal;
  onFailure?: (endpoint: AuthEndpoint) => void;
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}): FailureThrottle {
  const settings = { ...FAILURE_THROTTLE_DEFAULTS, ...deps.settings };
  const wait = deps.wait ?? ((ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined));
  const sources = new BoundedSources(settings.maxSources, settings.windowMs);
  let held = 0;
  return {
    async failed(endpoint, source) {
      deps.onFailure?.(endpoint);
      if (held >= settings.maxHeld) return { kind: 'shed', retryAfterSeconds: Math.ceil(settings.maxDelayMs / 1000) };
      held += 1;
      try {
        const key = `${endpoint}:${sources.keyFor(source, deps.now())}`;
        // Should counting fail, the failure still costs the longest delay.
        const failures = await deps.counter.penalty(key).then((counted) => counted.consumedPoints, () => Infinity);
        const delayMs = delayAfter(failures, settings);
        await wait(delayMs, deps.stopping);
        return { kind: 'slowed', delayMs };
      } finally {
        held -= 1;
      }
    },
  };
}

export const OVERFLOW_SOURCE = '(more sources than are told apart)';

/**
 * The sources seen failing in the window, oldest failure first (a Map keeps insertion order, and a source is
 * moved to the end at each failure), so expired ones are dropped from the front in passing.
 */
class BoundedSources {
  private readonly lastFailure = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  keyFor(source: string, now: number): string {
    this.lastFailure.delete(source);
    for (const [oldest, at] of this.lastFailure) {
      if (now - at <= this.windowMs) break;
      this.lastFailure.delete(oldest);
    }
    if (this.lastFailure.size >= this.max) return OVERFLOW_SOURCE;
    this.lastFailure.set(source, now);
    return source;
  }
}
