import type { TimelineEntry } from '../../store/types';
import { EventSummary, formatTime } from '../eventView';
import { html, Html } from '../html';
import { csrfField, layout } from './layout';
import { eventLink, stateBadge } from './list';

/** Fixed texts for the outcome of a retry, chosen by a key in the redirect: nothing from the URL is echoed. */
export const RETRY_NOTICES = {
  queued: 'Retry queued: the event is being worked on again, and its new result will be POSTed to AppDirect.',
  'queued-warned': 'Retry queued. AppDirect already had this event\u2019s failure and may refuse the new result; the timeline will show what it answered.',
  refused: 'This event cannot be retried now (see why below).',
} as const;
export type RetryNotice = keyof typeof RETRY_NOTICES;

export function detailPage(e: EventSummary, timeline: TimelineEntry[], csrfToken: string, notice?: RetryNotice): Html {
  const entries = timeline.map((t) => html`<tr><td>${formatTime(t.at)}</td><td>${t.kind}</td><td>${t.detail}</td></tr>`);
  const body = html`<h1>Event <code>${e.token}</code></h1>
${notice ? html`<p class="notice${notice === 'queued' ? '' : ' warning'}" role="status">${RETRY_NOTICES[notice]}</p>` : ''}
<dl>
<dt>Received</dt><dd>${e.receivedAt}</dd>
<dt>Type</dt><dd>${e.type ?? 'not read from AppDirect yet'}</dd>
<dt>Company</dt><dd>${e.company ?? '—'}</dd>
<dt>Account</dt><dd>${e.accountId ?? '—'}</dd>
<dt>State</dt><dd>${stateBadge(e.state)}</dd>
<dt>Result</dt><dd>${e.result}</dd>
<dt>To AppDirect</dt><dd>${e.delivery}</dd>
<dt>Failed attempts</dt><dd>${e.attempts}</dd>
<dt>Webex tracking IDs</dt><dd><code>${e.trackingIds.join(' ') || '—'}</code></dd>
</dl>
${retrySection(e, csrfToken)}
<h2>Timeline</h2>
<table><thead><tr><th>When</th><th>What</th><th>Detail</th></tr></thead><tbody>${entries}</tbody></table>`;
  return layout(`Event ${e.token}`, body, { csrfToken });
}

function retrySection(e: EventSummary, csrfToken: string): Html {
  if (e.retryBlocker) return html`<p>Retry is not available: ${e.retryBlocker}.</p>`;
  const warning = e.appDirectHasOutcome
    ? html`<p class="notice warning">AppDirect already has this failure. A retry provisions Webex again from where the event stopped (nothing is created twice) and POSTs the new result, which AppDirect may refuse: then settle the subscription in AppDirect.</p>`
    : '';
  return html`<h2>Retry</h2>${warning}
<form method="post" action="${eventLink(e.token)}/retry">${csrfField(csrfToken)}<button type="submit" class="primary">Retry this event</button></form>`;
}
