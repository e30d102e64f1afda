import type { StoreParts } from '../store';
import type { RepairRecord } from '../store/reconciliations';
import { reconcileReport, ReconcileReport, reconcileSummary, ReconcileSummary } from './report';

/** The newest reconciliation as the operator page shows it: its report and the repairs journaled on the way. */
export interface LatestReconciliation {
  report: ReconcileReport;
  repairs: RepairRecord[];
}

/**
 * The newest finished reconciliation's summary (what the gauges read). A summary this release cannot read (written
 * by a newer one, say) counts as none rather than failing the scrape.
 */
export async function latestSummary(store: Pick<StoreParts, 'reconciliations'>): Promise<ReconcileSummary | undefined> {
  const run = await store.reconciliations.latestSummary();
  const parsed = reconcileSummary.safeParse(run?.summary);
  return parsed.success ? parsed.data : undefined;
}

export async function latestReconciliation(store: Pick<StoreParts, 'reconciliations'>): Promise<LatestReconciliation | undefined> {
  const run = await store.reconciliations.latest();
  const parsed = reconcileReport.safeParse(run?.report);
  if (!run || !parsed.success) return undefined;
  return { report: parsed.data, repairs: await store.reconciliations.repairs(run.id) };
}
