import { RateLimiterMemory } from 'rate-limiter-flexible';
import { createFailureThrottle, FailureThrottle, FailureThrottleSettings } from '../../src/server/failureThrottle';

/** A real failure throttle counting in memory, for routers tested on their own; no delay unless asked. */
export function testFailureThrottle(settings: Partial<FailureThrottleSettings> = { baseDelayMs: 0, maxDelayMs: 0 }): FailureThrottle {
  return createFailureThrottle({ counter: new RateLimiterMemory({ points: 1_000_000, duration: 900 }), settings, now: Date.now, stopping: new AbortController().signal });
}
