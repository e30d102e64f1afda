import { createHash } from 'node:crypto';
import type { NativeConnection } from './index';

/**
 * Mutual exclusion by name: in this process always (a queue per name); across instances on PostgreSQL too, with
 * a session advisory lock held on a connection of its own while the work runs. The embedded SQLite store has one
 * process, so the first is enough there.
 */
export class NamedLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly native: NativeConnection) {}

  exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const run = previous.then(
      () => this.acrossInstances(name, work),
      () => this.acrossInstances(name, work),
    );
    const tail = run.catch(() => undefined);
    this.tails.set(name, tail);
    void tail.then(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    });
    return run;
  }

  private async acrossInstances<T>(name: string, work: () => Promise<T>): Promise<T> {
    if (this.native.dialect !== 'postgres') return work();
    const client = await this.native.pool.connect();
    const key = lockKey(name);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [key]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      client.release();
    }
  }
}

/** A 63-bit key from the name, the same in every instance. */
function lockKey(name: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(`connector-lock:${name}`).digest('hex').slice(0, 16)}`)).toString();
}
