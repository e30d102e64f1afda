/**
 * The one backoff of the project: exponential with jitter, so many retrying callers (events waiting on Webex,
 * a client retrying a call) do not come back in lockstep. `failedAttempts` counts from 1.
 */
export function backoffMs(failedAttempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}
