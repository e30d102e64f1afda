import type { Scope } from './scope';

/** The instances sharing the store, as each says it is alive: what divides a rate shared between them. */
export class InstanceRegistry {
  constructor(private readonly scope: Scope) {}

  async seen(instanceId: string, now: number): Promise<void> {
    await this.scope.db
      .insertInto('instances')
      .values({ instance_id: instanceId, seen_at: now })
      .onConflict((oc) => oc.column('instance_id').doUpdateSet({ seen_at: now }))
      .execute();
  }

  /** Instances seen within `withinMs` (at least this one, which asks). */
  async liveCount(now: number, withinMs: number): Promise<number> {
    const row = await this.scope.db
      .selectFrom('instances')
      .select((eb) => eb.fn.countAll<number>().as('live'))
      .where('seen_at', '>=', now - withinMs)
      .executeTakeFirstOrThrow();
    return Math.max(1, Number(row.live));
  }
}
