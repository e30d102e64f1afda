import { DRIFT_KINDS, DRIFT_TITLES } from '../../reconcile/drift';
import { accountsByKind, remains, resolutionText } from '../../reconcile/report';
import type { LatestReconciliation } from '../../reconcile/stored';
import type { RepairRecord } from '../../store/reconciliations';
import { formatTime } from '../eventView';
import { html, Html } from '../html';
import { csrfField, layout } from './layout';

/** Fixed texts for the outcome of "Reconcile now", chosen by a key in the redirect: nothing from the URL is echoed. */
export const RUN_NOTICES = {
  queued: 'A reconciliation starts within a second; reload this page in a while to see its report.',
  busy: 'A reconciliation is already due or under way; its report will show here.',
} as const;
export type RunNotice = keyof typeof RUN_NOTICES;

export interface ReconciliationPageInput {
  latest?: LatestReconciliation;
  schedule?: { everyMinutes: number; fix: boolean };
  csrfToken: string;
  notice?: RunNotice;
}

const list = (packages: string[] | undefined) => (packages?.length ? packages.join(', ') : '—');
/** Rows shown per table: a page an operator can read; the CLI's --json has them all. */
const MAX_ROWS = 200;
const more = (total: number) => (total > MAX_ROWS ? html`<p>… and ${total - MAX_ROWS} more: <code>npm run events -- reconcile --json</code> lists them all.</p>` : '');

/** The newest comparison of the account memory with Webex: drift by kind, each drift and what became of it, and the repairs. */
export function reconciliationPage(input: ReconciliationPageInput): Html {
  const { latest, schedule, csrfToken, notice } = input;
  const status = notice ? html`<p class="notice${notice === 'queued' ? '' : ' warning'}" role="status">${RUN_NOTICES[notice]}</p>` : '';
  const body = html`<h1>Reconciliation with Webex</h1>
${status}
${scheduleSection(schedule, csrfToken)}
${latest ? reportSection(latest) : html`<p>No reconciliation has run yet.</p>`}`;
  return layout('Reconciliation', body, { csrfToken });
}

function scheduleSection(schedule: ReconciliationPageInput['schedule'], csrfToken: string): Html {
  if (!schedule) {
    return html`<p>No schedule (<code>RECONCILE_EVERY_MINUTES</code> is not set). From a shell: <code>npm run events -- reconcile</code> compares, <code>--fix</code> repairs.</p>`;
  }
  const what = schedule.fix ? 'reports drift and repairs what it may (RECONCILE_FIX=true)' : 'reports drift; repairs are made with npm run events -- reconcile --fix';
  return html`<p>Runs every ${schedule.everyMinutes} minute(s) and ${what}.</p>
<form method="post" action="/admin/reconciliation/run">${csrfField(csrfToken)}<button type="submit" class="primary">Reconcile now</button></form>`;
}

function reportSection({ report, repairs }: LatestReconciliation): Html {
  const left = report.drift.filter(remains);
  const found = accountsByKind(report.drift);
  const remaining = accountsByKind(left);
  const by = report.trigger === 'schedule' ? 'the schedule' : 'the events CLI';
  const verdict = left.length
    ? html`<p class="notice warning" role="note">${left.length} difference(s) between AppDirect and Webex remain.</p>`
    : html`<p class="notice" role="note">Webex agrees with what AppDirect was told${report.unchecked.length ? ' for every account that could be compared' : ''}.</p>`;
  const kinds = DRIFT_KINDS.map((kind) => html`<tr><td>${DRIFT_TITLES[kind]}</td><td>${found[kind]}</td><td>${remaining[kind]}</td></tr>`);
  const rows = report.drift.slice(0, MAX_ROWS).map(
    (d) => html`<tr class="drift-${d.kind}">
<td>${DRIFT_TITLES[d.kind]}</td>
<td>${d.company ?? ''}${d.company ? html`<br>` : ''}<code>${d.accountId}</code></td>
<td>${d.email ?? html`customer <code>${d.customerId}</code>`}</td>
<td>${d.detail}</td>
<td>${list(d.expected)}</td>
<td>${list(d.actual)}</td>
<td>${resolutionText(d.resolution)}</td>
</tr>`,
  );
  return html`<h2>Last run</h2>
<dl>
<dt>Finished</dt><dd>${formatTime(report.finishedAt)}, started by ${by} (${report.mode})</dd>
<dt>Compared</dt><dd>${report.accounts} subscription(s) of ${report.customers} Webex customer(s), in ${report.webexCalls} Webex call(s)</dd>
</dl>
${verdict}
${uncheckedSection(report.unchecked)}
<table class="kinds"><thead><tr><th>Drift</th><th>Accounts found</th><th>Accounts left</th></tr></thead><tbody>${kinds}</tbody></table>
${rows.length ? html`<h2>Differences</h2>
<table class="drift"><thead><tr><th>Drift</th><th>Company / account</th><th>Subscriber</th><th>What</th><th>AppDirect bills</th><th>Webex has</th><th>Repair</th></tr></thead><tbody>${rows}</tbody></table>${more(report.drift.length)}` : ''}
${repairSection(repairs)}`;
}

function uncheckedSection(unchecked: LatestReconciliation['report']['unchecked']): Html | string {
  if (!unchecked.length) return '';
  const items = unchecked.map((u) => html`<li>customer <code>${u.customerId}</code> (${u.accountIds.join(', ')}): ${u.problem}</li>`);
  return html`<p class="notice warning">Not compared, because Webex did not list their subscribers:</p><ul>${items}</ul>`;
}

function repairSection(repairs: RepairRecord[]): Html | string {
  if (!repairs.length) return '';
  const rows = repairs.slice(0, MAX_ROWS).map(
    (r) => html`<tr><td>${formatTime(r.at)}</td><td><code>${r.accountId}</code></td><td>${r.email ?? html`customer <code>${r.customerId ?? ''}</code>`}</td><td>${r.action}</td><td>${r.outcome}</td><td class="ids">${r.trackingId ?? '—'}</td><td>${r.detail}</td></tr>`,
  );
  return html`<h2>Repairs made in Webex</h2>
<table class="repairs"><thead><tr><th>When</th><th>Account</th><th>Subscriber</th><th>Call</th><th>Outcome</th><th>Webex tracking ID</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table>${more(repairs.length)}`;
}
