/**
 * Slows down guessing: a client (by IP) that fails authentication too often is refused for a while,
 * before any credential is compared. Kept per instance; behind a balancer each instance counts alone,
 * which still bounds the guesses per instance.
 */
export interface AuthThrottle {
  /** Milliseconds the client must wait, or 0 when it may try. */
  blockedFor(client: string): number;
  failed(client: string): void;
  succeeded(client: string): void;
}

export function createAuthThrottle(opts: { maxFailures: number; windowMs: number; now: () => number }): AuthThrottle {
  const failures = new Map<string, { count: number; since: number }>();
  const prune = (now: number) => {
    for (const [client, entry] of failures) if (now - entry.since > opts.windowMs) failures.delete(client);
  };
  return {
    blockedFor(client) {
      const now = opts.now();
      prune(now);
      const entry = failures.get(client);
      return entry && entry.count >= opts.maxFailures ? entry.since + opts.windowMs - now : 0;
    },
    failed(client) {
      const now = opts.now();
      const entry = failures.get(client);
      if (entry && now - entry.since <= opts.windowMs) entry.count += 1;
      else failures.set(client, { count: 1, since: now });
    },
    succeeded(client) {
      failures.delete(client);
    },
  };
}
