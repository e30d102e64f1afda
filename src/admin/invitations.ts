import { consentJobId, consentWatchJob } from '../provisioning/consentJobs';
import type { Store, StoreParts } from '../store';
import { formatTime } from './eventView';

/** A user who must accept Webex's invitation to move an existing account before their service starts. */
export interface PendingInvitation {
  email: string;
  accountId: string;
  company?: string;
  subscriberId?: string;
  invitedAt?: string;
  lastInvitedAt?: string;
  /** Times the connector sent the invitation again on its own. */
  resent: number;
  /** An operator asked for one more, and it has not gone out yet. */
  resendRequested: boolean;
}

export async function pendingInvitations(store: StoreParts): Promise<PendingInvitation[]> {
  return (await store.accounts.pendingConsent()).map(({ user, account }) => ({
    email: user.email,
    accountId: user.accountId,
    company: account.companyName,
    subscriberId: user.subscriberId,
    invitedAt: user.invitation ? formatTime(user.invitation.invitedAt) : undefined,
    lastInvitedAt: user.invitation ? formatTime(user.invitation.lastInvitedAt) : undefined,
    resent: user.invitation?.resent ?? 0,
    resendRequested: user.invitation?.resendRequestedAt !== undefined,
  }));
}

export type ResendOutcome = { kind: 'queued'; accounts: string[] } | { kind: 'not_found' };

/**
 * An operator's request to send Webex's invitation again: the user is marked, and the job that watches them is
 * due now (started again if it had stopped). The running connector sends it within a second; this works the
 * same from the operator page and from the CLI, which has no Webex credentials of its own to use.
 */
export async function requestInvitationResend(store: Store, email: string, now: number): Promise<ResendOutcome> {
  return store.transaction(async (tx) => {
    const marked = await tx.accounts.requestResend(email, now);
    if (!marked.length) return { kind: 'not_found' };
    for (const user of marked) {
      const added = await tx.queue.enqueue(consentWatchJob(user.accountId, user.email, now), now);
      if (!added) await tx.queue.bringForward(consentJobId(user.accountId, user.email), now, now);
    }
    return { kind: 'queued', accounts: marked.map((u) => u.accountId) };
  });
}
