import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Pool } from 'pg';
import type { Store } from '../store';
import type { FailureCounter } from './failureThrottle';

/**
 * Where failed attempts are counted, with rate-limiter-flexible: in this process over the embedded SQLite store
 * (one instance), in PostgreSQL when the store is shared, so that every instance behind a balancer sees the same
 * counts. There the library keeps its own table, `auth_failures`, and removes expired rows itself; should the
 * database not answer, counting goes on in memory.
 */
export async function createFailureCounter(store: Pick<Store, 'native' | 'exclusive'>, windowMs: number): Promise<FailureCounter> {
  const { native } = store;
  // Counts only: the throttle turns a count into a delay, so the limiter never refuses anything itself.
  const options = { keyPrefix: 'auth', points: 1_000_000, duration: Math.ceil(windowMs / 1000) };
  if (native.dialect === 'sqlite') return new RateLimiterMemory(options);
  // The library creates its table at start with CREATE TABLE IF NOT EXISTS, which two instances starting together
  // can both attempt (PostgreSQL then refuses one: "type auth_failures already exists"): one at a time.
  return store.exclusive('auth_failures table', () => connectLimiter(native.pool, options));
}

function connectLimiter(pool: Pool, options: { keyPrefix: string; points: number; duration: number }): Promise<FailureCounter> {
  return new Promise((resolve, reject) => {
    const limiter: RateLimiterPostgres = new RateLimiterPostgres(
      { ...options, storeClient: pool, storeType: 'pool', tableName: 'auth_failures', insuranceLimiter: new RateLimiterMemory(options) },
      (err?: Error) => (err ? reject(new Error(`the failed-sign-in counters could not be set up in PostgreSQL: ${err.message}`)) : resolve(limiter)),
    );
  });
}
