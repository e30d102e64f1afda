import { DRIFT_KINDS, DRIFT_TITLES } from '../reconcile/drift';
import { accountsByKind, inSync, ReconcileReport, remains, resolutionText, summarize } from '../reconcile/report';
import { columns } from './output';

const MODES: Record<ReconcileReport['mode'], string> = {
  report: 'report only; --fix repairs what it may',
  fix: 'with --fix',
  'dry-run': 'dry run: nothing was changed in Webex',
};

/** The report as a table of drift by kind, then every difference and what became of it. */
export function reconcileText(report: ReconcileReport): string {
  const compared = `Compared ${report.accounts} subscription(s) of ${report.customers} Webex customer(s) in ${report.webexCalls} Webex call(s) (${MODES[report.mode]}).`;
  const unchecked = report.unchecked.map((u) => `Not compared: customer ${u.customerId} (${u.accountIds.join(', ')}): ${u.problem}`);
  if (!report.drift.length) {
    const verdict = report.unchecked.length ? 'No drift among the accounts compared.' : 'In sync: Webex agrees with what AppDirect was told.';
    return [compared, ...unchecked, verdict].join('\n');
  }
  const found = accountsByKind(report.drift);
  const left = accountsByKind(report.drift.filter(remains));
  const kinds = columns([['DRIFT', 'ACCOUNTS', 'LEFT'], ...DRIFT_KINDS.map((kind) => [DRIFT_TITLES[kind], String(found[kind]), String(left[kind])])]);
  const heads = columns(report.drift.map((d) => [DRIFT_TITLES[d.kind], [d.company, d.accountId].filter(Boolean).join(' / '), d.email ?? '(the customer)']));
  const entries = heads.split('\n').map((head, i) => `${head}\n    ${report.drift[i].detail}\n    ${resolutionText(report.drift[i].resolution)}`);
  const verdict = inSync(report) ? 'Every difference was repaired.' : `${report.drift.filter(remains).length} difference(s) remain.`;
  return [compared, ...unchecked, '', kinds, '', ...entries, '', verdict].join('\n');
}

/** The report for scripts: times as ISO 8601, the verdict and the counts beside the drift. */
export function reconcileJson(report: ReconcileReport): string {
  const { found, remaining, repaired, failed } = summarize(report);
  const iso = (ms: number) => new Date(ms).toISOString();
  return JSON.stringify({ ...report, startedAt: iso(report.startedAt), finishedAt: iso(report.finishedAt), inSync: inSync(report), accountsWithDrift: found, accountsLeft: remaining, repaired, failedRepairs: failed }, null, 2);
}
