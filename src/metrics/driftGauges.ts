import { Gauge, Registry } from 'prom-client';
import type { DriftReading } from './observers';

/**
 * `connector_drift_accounts{kind}` (accounts the newest reconciliation left with drift of each kind),
 * `connector_reconcile_unchecked_accounts` and `connector_reconcile_last_run_timestamp_seconds`, read from the store
 * at each scrape: every instance shows the newest run, whichever instance (or events CLI run) made it. No samples
 * of the first and 0 for the others until a first run; a store that does not answer keeps the last values.
 */
export function watchDriftGauges(registry: Registry, read: () => Promise<DriftReading | undefined>): void {
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, r: DriftReading) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const r = await read().catch(() => undefined);
        if (r) fill(this, r);
      },
    });
  gauge('connector_drift_accounts', 'Accounts the newest reconciliation with Webex left with drift, by kind (after its repairs)', ['kind'], (g, r) => {
    for (const [kind, accounts] of Object.entries(r.remaining)) g.set({ kind }, accounts);
  });
  gauge('connector_reconcile_unchecked_accounts', 'Accounts the newest reconciliation could not compare (Webex did not list their subscribers)', [], (g, r) => g.set(r.unchecked));
  gauge('connector_reconcile_last_run_timestamp_seconds', 'When the newest reconciliation with Webex finished (Unix time; 0 before the first)', [], (g, r) => g.set(r.finishedAt / 1000));
}
