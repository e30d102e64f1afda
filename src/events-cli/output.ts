import type { EventSummary } from '../admin/eventView';
import type { PendingInvitation } from '../admin/invitations';
import { formatTime } from '../admin/eventView';
import type { TimelineEntry } from '../store/types';

/** Left-aligned columns, the last one (the free text) unpadded. */
export function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

export function listText(events: EventSummary[]): string {
  if (!events.length) return 'No events in the journal.';
  const header = ['RECEIVED', 'STATE', 'TYPE', 'COMPANY / ACCOUNT', 'ATTEMPTS', 'TOKEN', 'RESULT'];
  const rows = events.map((e) => [e.receivedAt, e.state, e.type ?? '-', [e.company, e.accountId].filter(Boolean).join(' / ') || '-', String(e.attempts), e.token, e.result]);
  return columns([header, ...rows]);
}

export function showText(e: EventSummary, timeline: TimelineEntry[]): string {
  const retry = e.retryBlocker
    ? `not possible: ${e.retryBlocker}`
    : `possible${e.appDirectHasOutcome ? ' (AppDirect already has the failure and may refuse the new result)' : ''}`;
  const fields = [
    ['Event', e.token],
    ['Received', e.receivedAt],
    ['Type', e.type ?? 'not read from AppDirect yet'],
    ['Company', e.company ?? '-'],
    ['Account', e.accountId ?? '-'],
    ['State', e.state],
    ['Result', e.result],
    ['To AppDirect', e.delivery],
    ['Attempts', String(e.attempts)],
    ['Tracking IDs', e.trackingIds.join(' ') || '-'],
    ['Retry', retry],
  ];
  const entries = timeline.map((t) => ['  ' + formatTime(t.at), t.kind, t.detail]);
  return `${columns(fields)}\n\nTimeline\n${entries.length ? columns(entries) : '  (empty)'}`;
}

export function invitationsText(invitations: PendingInvitation[]): string {
  if (!invitations.length) return 'Nobody is waiting to accept a Webex invitation.';
  const header = ['USER', 'COMPANY / ACCOUNT', 'INVITED', 'LAST INVITATION', 'REMINDERS SENT'];
  const rows = invitations.map((i) => [
    i.email,
    [i.company, i.accountId].filter(Boolean).join(' / '),
    i.invitedAt ?? '-',
    i.lastInvitedAt ?? '-',
    `${i.resent}${i.resendRequested ? ' (one more requested)' : ''}`,
  ]);
  return columns([header, ...rows]);
}
