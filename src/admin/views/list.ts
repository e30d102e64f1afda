import type { EventSummary } from '../eventView';
import { html, Html } from '../html';
import type { PendingInvitation } from '../invitations';
import type { CredentialStatus } from '../../jobs/webexCredentials';
import { csrfField, layout } from './layout';

export function stateBadge(state: EventSummary['state']): Html {
  return html`<span class="state state-${state.replace(/ /g, '-')}">${state}</span>`;
}

export const eventLink = (token: string) => `/admin/events/${encodeURIComponent(token)}`;

/** Fixed texts for the outcome of a resend, chosen by a key in the redirect: nothing from the URL is echoed. */
export const RESEND_NOTICES = {
  queued: 'The invitation will be sent again within a few seconds.',
  unknown: 'Nobody with that e-mail is waiting for their consent any more.',
} as const;
export type ResendNotice = keyof typeof RESEND_NOTICES;

export function listPage(events: EventSummary[], opts: { csrfToken: string; invitations?: PendingInvitation[]; notice?: ResendNotice; credentials?: CredentialStatus }): Html {
  const { csrfToken, invitations = [], notice } = opts;
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
  const status = notice ? html`<p class="notice${notice === 'queued' ? '' : ' warning'}" role="status">${RESEND_NOTICES[notice]}</p>` : '';
  return layout('Recent events', html`<h1>Recent events</h1>${credentialBanner(opts.credentials)}${status}${invitationSection(invitations, csrfToken)}${invitations.length ? html`<h2>Events</h2>` : ''}${table}`, { csrfToken });
}

/** Users whose service starts when they accept Webex's invitation to move their existing account. */
function invitationSection(invitations: PendingInvitation[], csrfToken: string): Html | string {
  if (!invitations.length) return '';
  const rows = invitations.map(
    (i) => html`<tr>
<td>${i.email}</td>
<td>${i.company ?? ''}${i.company ? html`<br>` : ''}<code>${i.accountId}</code></td>
<td>${i.invitedAt ?? '—'}</td>
<td>${i.lastInvitedAt ?? '—'}</td>
<td>${i.resent}${i.resendRequested ? ' (one more requested)' : ''}</td>
<td><form method="post" action="/admin/invitations/${encodeURIComponent(i.email)}/resend">${csrfField(csrfToken)}<button type="submit" class="primary">Resend invitation</button></form></td>
</tr>`,
  );
  return html`<h2>Waiting for their consent</h2>
<p>These users already had a Webex account: Webex invited them to move it to their company's organisation, and their service starts when they accept.</p>
<table>
<thead><tr><th>User</th><th>Company / account</th><th>Invited</th><th>Last invitation</th><th>Reminders sent</th><th></th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** The Webex credentials: a lapse (events wait) or a refresh token nearing its end, said at the top of the page. */
function credentialBanner(credentials: CredentialStatus | undefined): Html | string {
  if (!credentials) return '';
  if (!credentials.valid) {
    const since = credentials.since ? new Date(credentials.since).toISOString().slice(0, 16).replace('T', ' ') : 'recently';
    return html`<p class="notice warning" role="alert"><strong>Webex credentials do not work</strong> (since ${since} UTC): events that need Webex wait, none is lost. ${credentials.problem ?? ''} Give a new refresh token with <code>npm run events -- webex-login</code>, or restart with a new .env: every waiting event then resumes by itself.</p>`;
  }
  return credentials.warning ? html`<p class="notice warning" role="status">${credentials.warning}</p>` : '';
}
