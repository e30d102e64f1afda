/**
 * Watching a user whose e-mail belongs to an existing Webex account (subscriber status pending_user_migration)
 * until they accept Webex's invitation to move it: one job per user of a subscription. Handlers ask for it as a
 * follow-up of their result; its worker is src/jobs/consentWatch.ts.
 */
export const CONSENT_WATCH = 'user.consent';

export interface ConsentJobPayload {
  accountId: string;
  email: string;
}

export const consentJobId = (accountId: string, email: string) => `consent:${accountId}:${email.toLowerCase()}`;

export const consentWatchJob = (accountId: string, email: string, runAt: number) => ({
  id: consentJobId(accountId, email),
  kind: CONSENT_WATCH,
  payload: { accountId, email: email.toLowerCase() } satisfies ConsentJobPayload,
  runAt,
});
