import type { Scope } from './scope';

/** What one batch of expired events took with it. */
export interface RemovedEvents {
  events: number;
  timeline: number;
  jobs: number;
}

/**
 * Keeps the journal bounded: removes what is finished and old, never what is still needed. Each call is one small
 * batch (one transaction, or one unit of SQLite's group commit), so retention never holds the database for long.
 */
export class JournalRetention {
  constructor(private readonly scope: Scope) {}

  /**
   * Removes up to `limit` events that finished before `cutoff` and whose result AppDirect has (in the answer, or
   * POSTed and taken or refused for good), with their timelines and their finished jobs (`jobIdsOf` names them).
   * Kept: events not finished, results still to be delivered, each account's newest event, and any event a job
   * is still queued for.
   */
  async removeExpiredEvents(cutoff: number, limit: number, jobIdsOf: (token: string) => string[]): Promise<RemovedEvents> {
    const { db } = this.scope;
    const candidates = await db
      .selectFrom('events as e')
      .select('e.token')
      .where('e.finished_at', '<', cutoff)
      .where('e.result_json', 'is not', null)
      .where((eb) => eb.or([eb('e.ack', '=', 'sync'), eb('e.delivery', 'in', ['delivered', 'rejected'])]))
      .where((eb) =>
        eb.or([
          eb('e.account_id', 'is', null),
          eb.exists(eb.selectFrom('events as newer').select('newer.token').whereRef('newer.account_id', '=', 'e.account_id').whereRef('newer.received_at', '>', 'e.received_at')),
        ]),
      )
      .orderBy('e.finished_at')
      .limit(limit)
      .execute();
    if (!candidates.length) return { events: 0, timeline: 0, jobs: 0 };
    const jobIds = new Map(candidates.map(({ token }) => [token, jobIdsOf(token)]));
    const busy = await db
      .selectFrom('jobs')
      .select('id')
      .where('state', '=', 'queued')
      .where('id', 'in', [...jobIds.values()].flat())
      .execute();
    const busyIds = new Set(busy.map((row) => row.id));
    const tokens = candidates.map((c) => c.token).filter((token) => !jobIds.get(token)!.some((id) => busyIds.has(id)));
    if (!tokens.length) return { events: 0, timeline: 0, jobs: 0 };
    const timeline = await db.deleteFrom('timeline').where('token', 'in', tokens).executeTakeFirst();
    const jobs = await db
      .deleteFrom('jobs')
      .where('id', 'in', tokens.flatMap((token) => jobIds.get(token)!))
      .where('state', '!=', 'queued')
      .executeTakeFirst();
    const events = await db.deleteFrom('events').where('token', 'in', tokens).executeTakeFirst();
    return { events: Number(events.numDeletedRows), timeline: Number(timeline.numDeletedRows), jobs: Number(jobs.numDeletedRows) };
  }

  /** Removes up to `limit` jobs that finished before `cutoff`, except those of `keepKinds` (they go with their events). */
  async removeFinishedJobs(cutoff: number, limit: number, keepKinds: readonly string[]): Promise<number> {
    const { db } = this.scope;
    const old = db
      .selectFrom('jobs')
      .select('id')
      .where('state', 'in', ['done', 'failed'])
      .where('updated_at', '<', cutoff)
      .$if(keepKinds.length > 0, (q) => q.where('kind', 'not in', keepKinds))
      .limit(limit);
    const result = await db.deleteFrom('jobs').where('id', 'in', old).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Nonces whose signature has expired: no replay can use them any more. */
  async removeExpiredNonces(now: number): Promise<number> {
    const result = await this.scope.db.deleteFrom('nonces').where('expires_at', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Operator page sessions that expired or were signed out of. */
  async removeEndedAdminSessions(now: number): Promise<number> {
    const result = await this.scope.db
      .deleteFrom('admin_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('revoked_at', 'is not', null)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
