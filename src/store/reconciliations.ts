import type { Selectable } from 'kysely';
import type { ReconcileRunsTable, RepairsTable } from './schema';
import type { Scope } from './scope';

export type ReconcileTrigger = ReconcileRunsTable['trigger'];
export type ReconcileMode = ReconcileRunsTable['mode'];

/** One comparison with Webex as the store keeps it; `summary` and `report` are the reconciler's JSON. */
export interface ReconciliationRun {
  id: number;
  trigger: ReconcileTrigger;
  mode: ReconcileMode;
  startedAt: number;
  finishedAt?: number;
  summary?: unknown;
  report?: unknown;
}

/** A change a reconciliation made (or tried to make) in Webex. */
export interface RepairRecord {
  runId: number;
  at: number;
  accountId: string;
  customerId?: string;
  /** The subscriber's e-mail; absent for a repair of the customer. */
  email?: string;
  driftKind: string;
  action: string;
  outcome: RepairsTable['outcome'];
  trackingId?: string;
  detail: string;
}

const json = (text: string | null): unknown => (text === null ? undefined : (JSON.parse(text) as unknown));

/**
 * The reconciliations with Webex: each run (the last one is what the operator page and the gauges show) and every
 * repair, journaled as soon as Webex answered it, so a run that stops half-way still leaves its repairs on record.
 */
export class Reconciliations {
  constructor(private readonly scope: Scope) {}

  async start(run: { trigger: ReconcileTrigger; mode: ReconcileMode }, now: number): Promise<number> {
    const row = await this.scope.db
      .insertInto('reconcile_runs')
      .values({ trigger: run.trigger, mode: run.mode, started_at: now, finished_at: null, summary_json: null, report_json: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async addRepair(repair: RepairRecord): Promise<void> {
    await this.scope.db
      .insertInto('repairs')
      .values({
        run_id: repair.runId,
        at: repair.at,
        account_id: repair.accountId,
        customer_id: repair.customerId ?? null,
        email: repair.email ?? null,
        drift_kind: repair.driftKind,
        action: repair.action,
        outcome: repair.outcome,
        tracking_id: repair.trackingId ?? null,
        detail: repair.detail,
      })
      .execute();
  }

  async finish(runId: number, outcome: { summary: unknown; report: unknown }, now: number): Promise<void> {
    await this.scope.db
      .updateTable('reconcile_runs')
      .set({ finished_at: now, summary_json: JSON.stringify(outcome.summary), report_json: JSON.stringify(outcome.report) })
      .where('id', '=', runId)
      .execute();
  }

  /** The newest finished run, with its whole report. */
  async latest(): Promise<ReconciliationRun | undefined> {
    const row = await this.scope.db.selectFrom('reconcile_runs').selectAll().where('finished_at', 'is not', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  /** The newest finished run without its report: what a metrics scrape reads. */
  async latestSummary(): Promise<Omit<ReconciliationRun, 'report'> | undefined> {
    const row = await this.scope.db
      .selectFrom('reconcile_runs')
      .select(['id', 'trigger', 'mode', 'started_at', 'finished_at', 'summary_json'])
      .where('finished_at', 'is not', null)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toRun({ ...row, report_json: null }) : undefined;
  }

  async repairs(runId: number): Promise<RepairRecord[]> {
    const rows = await this.scope.db.selectFrom('repairs').selectAll().where('run_id', '=', runId).orderBy('id').execute();
    return rows.map(toRepair);
  }

  /** Removes runs started before `cutoff` and their repairs, always keeping the newest finished run. */
  async removeBefore(cutoff: number): Promise<{ runs: number; repairs: number }> {
    const newest = await this.latestSummary();
    const old = this.scope.db
      .selectFrom('reconcile_runs')
      .select('id')
      .where('started_at', '<', cutoff)
      .$if(newest !== undefined, (q) => q.where('id', '!=', newest!.id));
    const repairs = await this.scope.db.deleteFrom('repairs').where('run_id', 'in', old).executeTakeFirst();
    const runs = await this.scope.db.deleteFrom('reconcile_runs').where('id', 'in', old).executeTakeFirst();
    return { runs: Number(runs.numDeletedRows), repairs: Number(repairs.numDeletedRows) };
  }
}

function toRun(row: Selectable<ReconcileRunsTable>): ReconciliationRun {
  return {
    id: Number(row.id),
    trigger: row.trigger,
    mode: row.mode,
    startedAt: Number(row.started_at),
    finishedAt: row.finished_at === null ? undefined : Number(row.finished_at),
    summary: json(row.summary_json),
    report: json(row.report_json),
  };
}

function toRepair(row: Selectable<RepairsTable>): RepairRecord {
  return {
    runId: Number(row.run_id),
    at: Number(row.at),
    accountId: row.account_id,
    customerId: row.customer_id ?? undefined,
    email: row.email ?? undefined,
    driftKind: row.drift_kind,
    action: row.action,
    outcome: row.outcome,
    trackingId: row.tracking_id ?? undefined,
    detail: row.detail,
  };
}
