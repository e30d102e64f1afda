import type { EventSummary } from '../eventView';
import { html, Html } from '../html';
import { layout } from './layout';

export function stateBadge(state: EventSummary['state']): Html {
  return html`<span class="state state-${state.replace(/ /g, '-')}">${state}</span>`;
}

export const eventLink = (token: string) => `/admin/events/${encodeURIComponent(token)}`;

export function listPage(events: EventSummary[], csrfToken: string): Html {
  const rows = events.map(
    (e) => html`<tr>
<td>${e.receivedAt}</td>
<td>${e.type ?? '—'}</td>
<td>${e.company ?? ''}${e.company && e.accountId ? html`<br>` : ''}${e.accountId ? html`<code>${e.accountId}</code>` : ''}</td>
<td>${stateBadge(e.state)}</td>
<td>${e.result}</td>
<td>${e.attempts}</td>
<td class="ids">${e.trackingIds.join(' ')}</td>
<td class="token"><a href="${eventLink(e.token)}">${e.token}</a></td>
</tr>`,
  );
  const table = events.length
    ? html`<table>
<thead><tr><th>Received</th><th>Type</th><th>Company / account</th><th>State</th><th>Result</th><th>Attempts</th><th>Webex tracking IDs</th><th>Event</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
    : html`<p>No events yet.</p>`;
  return layout('Recent events', html`<h1>Recent events</h1>${table}`, { csrfToken });
}
