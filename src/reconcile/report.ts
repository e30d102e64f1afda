import { z } from 'zod';
import { DRIFT_KINDS, DriftKind } from './drift';

export type RunMode = 'report' | 'fix' | 'dry-run';

const resolution = z.discriminatedUnion('kind', [
  /** --fix changed Webex; `trackingId` is Webex's for that call. */
  z.object({ kind: z.literal('repaired'), action: z.string(), trackingId: z.string().optional(), detail: z.string() }),
  z.object({ kind: z.literal('repair_failed'), action: z.string(), trackingId: z.string().optional(), detail: z.string() }),
  /** A run without --fix: what --fix would call. */
  z.object({ kind: z.literal('repairable'), calls: z.array(z.string()) }),
  /** --dry-run: the calls --fix would make now. */
  z.object({ kind: z.literal('would_repair'), calls: z.array(z.string()) }),
  /** Not the connector's to decide: what the operator can do. */
  z.object({ kind: z.literal('operator'), reason: z.string() }),
  /** Repairable once Webex has finished what it is doing. */
  z.object({ kind: z.literal('later'), reason: z.string() }),
]);
export type Resolution = z.infer<typeof resolution>;

const driftEntry = z.object({
  kind: z.enum(DRIFT_KINDS),
  accountId: z.string(),
  company: z.string().optional(),
  customerId: z.string(),
  email: z.string().optional(),
  subscriberId: z.string().optional(),
  expected: z.array(z.string()).optional(),
  actual: z.array(z.string()).optional(),
  status: z.string().optional(),
  detail: z.string(),
  resolution,
});
export type DriftEntry = z.infer<typeof driftEntry>;

const uncheckedCustomer = z.object({ customerId: z.string(), accountIds: z.array(z.string()), problem: z.string() });
export type UncheckedCustomer = z.infer<typeof uncheckedCustomer>;

/** One reconciliation's findings: the report the CLI prints, the store keeps and the operator page shows. */
export const reconcileReport = z.object({
  trigger: z.enum(['schedule', 'cli']),
  mode: z.enum(['report', 'fix', 'dry-run']),
  startedAt: z.number(),
  finishedAt: z.number(),
  /** Subscriptions compared, and the Webex customers serving them. */
  accounts: z.number(),
  customers: z.number(),
  webexCalls: z.number(),
  drift: z.array(driftEntry),
  /** Customers whose subscribers Webex did not list (after its retries): their accounts were not compared. */
  unchecked: z.array(uncheckedCustomer),
});
export type ReconcileReport = z.infer<typeof reconcileReport>;

const countsByKind = z.object(Object.fromEntries(DRIFT_KINDS.map((kind) => [kind, z.number()])) as Record<DriftKind, z.ZodNumber>);

/** The few numbers the gauges need, stored beside the report so that a scrape never parses a whole report. */
export const reconcileSummary = z.object({
  finishedAt: z.number(),
  accounts: z.number(),
  unchecked: z.number(),
  /** Accounts with drift of each kind, as found, and as left after the run's repairs. */
  found: countsByKind,
  remaining: countsByKind,
  repaired: z.number(),
  failed: z.number(),
});
export type ReconcileSummary = z.infer<typeof reconcileSummary>;

/** A drift still there after the run: everything but what it repaired. */
export const remains = (entry: DriftEntry) => entry.resolution.kind !== 'repaired';

/** Webex and the connector agree on every account the run could compare. */
export const inSync = (report: ReconcileReport) => !report.drift.some(remains);

/** Accounts with at least one drift of each kind among `entries`. */
export function accountsByKind(entries: DriftEntry[]): Record<DriftKind, number> {
  return Object.fromEntries(DRIFT_KINDS.map((kind) => [kind, new Set(entries.filter((e) => e.kind === kind).map((e) => e.accountId)).size])) as Record<DriftKind, number>;
}

export function summarize(report: ReconcileReport): ReconcileSummary {
  const outcomes = report.drift.map((e) => e.resolution.kind);
  return {
    finishedAt: report.finishedAt,
    accounts: report.accounts,
    unchecked: report.unchecked.reduce((n, u) => n + u.accountIds.length, 0),
    found: accountsByKind(report.drift),
    remaining: accountsByKind(report.drift.filter(remains)),
    repaired: outcomes.filter((k) => k === 'repaired').length,
    failed: outcomes.filter((k) => k === 'repair_failed').length,
  };
}

const tracking = (text: string, trackingId: string | undefined) => (trackingId && !text.includes(trackingId) ? ` (tracking ID ${trackingId})` : '');

/** What became of a drift, in one line, for the CLI's table and the operator page alike. */
export function resolutionText(r: Resolution): string {
  switch (r.kind) {
    case 'repaired':
      return `repaired: ${r.action}${tracking(r.action, r.trackingId)}`;
    case 'repair_failed':
      return `repair failed: ${r.detail}${tracking(r.detail, r.trackingId)}`;
    case 'repairable':
      return `--fix would: ${r.calls.join('; ')}`;
    case 'would_repair':
      return `would call: ${r.calls.join('; ')}`;
    case 'operator':
      return `left to the operator: ${r.reason}`;
    case 'later':
      return `not yet: ${r.reason}`;
  }
}
