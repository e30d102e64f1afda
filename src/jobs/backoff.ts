/** Exponential backoff with jitter, so many retrying events do not hit Webex in lockstep. */
export function backoffMs(failedAttempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}
