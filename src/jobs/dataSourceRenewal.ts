import { renewExpiringDataSources } from '../byods/renew';
import type { Store } from '../store';
import type { DataSourcesApi } from '../webex/dataSources';
import { errorText, JobHandler } from './runner';

export const DATA_SOURCE_RENEWAL = 'byods.renewal';
/** One renewal job for the whole deployment: on several instances, one of them runs it at a time. */
const RENEWAL_JOB_ID = 'byods-renewal';

export interface RenewalSettings {
  everyMinutes: number;
  withinMinutes: number;
  lifetimeMinutes: number;
}

/**
 * Renews BYODS data-source tokens from inside the server, so no cron job or cloud function is needed: a job
 * that runs, then comes back every `everyMinutes`. Each run only touches tokens close to expiry, so a run that
 * overlaps a manual `byods extend` does no harm.
 */
export function dataSourceRenewalHandler(api: DataSourcesApi, settings: RenewalSettings): JobHandler {
  return {
    kind: DATA_SOURCE_RENEWAL,
    async run(ctx) {
      try {
        const outcome = await renewExpiringDataSources(api, { withinMinutes: settings.withinMinutes, lifetimeMinutes: settings.lifetimeMinutes, logger: ctx.log });
        ctx.log.info({ renewed: outcome.renewed.length, failed: outcome.failed.length, skipped: outcome.skipped }, 'BYODS token renewal run finished');
      } catch (err) {
        ctx.log.error({ problem: errorText(err) }, 'BYODS token renewal could not list the data sources');
      }
      return { kind: 'later', runAt: ctx.now() + settings.everyMinutes * 60_000, failed: false, waitingFor: 'the next renewal run' };
    },
  };
}

/** At start the first run is due at once; afterwards each run schedules the next. */
export async function scheduleDataSourceRenewal(store: Store, now: number): Promise<void> {
  const added = await store.queue.enqueue({ id: RENEWAL_JOB_ID, kind: DATA_SOURCE_RENEWAL, runAt: now }, now);
  if (!added) await store.queue.bringForward(RENEWAL_JOB_ID, now, now);
}
