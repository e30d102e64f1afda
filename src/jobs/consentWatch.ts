import { backoffMs } from '../backoff';
import type { ConsentSettings } from '../config';
import { withLogContext } from '../log';
import { AttemptContext, AttemptReads, HandlerDeps } from '../provisioning/context';
import { accountCustomer } from '../provisioning/customer';
import { judge } from '../provisioning/failures';
import { convergeSubscribers } from '../provisioning/subscription';
import type { StoreParts } from '../store';
import type { AccountUser } from '../store/accounts';
import { unlessNotFound } from '../webex/errors';
import { jobCheckpoint } from './checkpoint';
import { CONSENT_WATCH, ConsentJobPayload } from '../provisioning/consentJobs';
import type { JobContext, JobHandler, JobOutcome } from './runner';

/** The longest time between two looks at a waiting subscriber: an acceptance shows in the memory within it. */
const MAX_LOOK_INTERVAL_MS = 15 * 60_000;

export interface ConsentWatchSettings extends ConsentSettings {
  retryBaseMs: number;
  retryMaxMs: number;
  /** How soon to look again at a subscriber Webex is still updating. */
  pollIntervalMs: number;
}

/**
 * Watches a user whose e-mail belongs to an existing Webex account (pending_user_migration) until they accept
 * Webex's invitation: the invitation is sent again (POST consentMove) every `resendIntervalMs`, at most
 * `resendCount` times, and at once when an operator asks. Once the user has accepted, the subscriber gets the
 * packages the subscription has now (it may have changed meanwhile) and the user counts as active.
 */
export function consentWatchHandler(deps: HandlerDeps, settings: ConsentWatchSettings): JobHandler<ConsentJobPayload> {
  return {
    kind: CONSENT_WATCH,
    run: (ctx) => withLogContext({ account: ctx.job.payload.accountId, user: ctx.job.payload.email }, () => watch(deps, settings, ctx)),
  };
}

async function watch(deps: HandlerDeps, settings: ConsentWatchSettings, ctx: JobContext<ConsentJobPayload>): Promise<JobOutcome> {
  const { accountId, email } = ctx.job.payload;
  const user = await deps.accounts.user(accountId, email);
  // Unassigned, suspended or already accepted: there is nothing left to watch.
  if (user?.status !== 'pending_consent' || !user.subscriberId) return { kind: 'finish' };
  try {
    const subscriber = await unlessNotFound(deps.webex.wholesale.getSubscriber(user.subscriberId));
    if (!subscriber) {
      ctx.log.warn('the subscriber waiting for consent is gone from Webex; no longer watching');
      return { kind: 'finish', state: 'failed', error: 'the subscriber is gone from Webex' };
    }
    if (subscriber.status === 'pending_user_migration') return await invite(deps, settings, ctx, user);
    if (subscriber.status === 'error') return { kind: 'finish', state: 'failed', error: `Webex could not move ${email}: ${(subscriber.errors ?? []).map((e) => e.description).join('; ') || 'no reason given'}` };
    return await accepted(deps, settings, ctx, user);
  } catch (err) {
    const verdict = judge(err);
    if (!verdict.transient) return { kind: 'finish', state: 'failed', error: verdict.message };
    const delay = Math.max(verdict.retryAfterMs ?? 0, backoffMs(ctx.job.attempts + 1, settings.retryBaseMs, settings.retryMaxMs));
    return { kind: 'later', runAt: ctx.now() + delay, failed: true, error: verdict.message };
  }
}

/** Still waiting: send the invitation again when an operator asked or its interval is over, or stop after the last. */
async function invite(deps: HandlerDeps, settings: ConsentWatchSettings, ctx: JobContext<ConsentJobPayload>, user: AccountUser): Promise<JobOutcome> {
  const now = ctx.now();
  const invitation = user.invitation ?? { invitedAt: now, lastInvitedAt: now, resent: 0 };
  const due = now - invitation.lastInvitedAt >= settings.resendIntervalMs;
  const lookAgain = (): JobOutcome => ({
    kind: 'later',
    runAt: ctx.now() + Math.min(settings.resendIntervalMs, MAX_LOOK_INTERVAL_MS),
    failed: false,
    waitingFor: `${user.email} to accept Webex's invitation`,
    commit: (tx) => honourLateRequest(tx, ctx),
  });

  if (invitation.resendRequestedAt !== undefined) {
    await deps.webex.wholesale.sendConsentMoveEmail(user.subscriberId!);
    await deps.accounts.recordInvitationResent(user.accountId, user.email, 'operator', now);
    ctx.log.info('Webex invitation sent again, as an operator asked');
    return lookAgain();
  }
  if (!due) return lookAgain();
  if (invitation.resent >= settings.resendCount) {
    ctx.log.warn({ resent: invitation.resent }, 'the user has not accepted Webex\'s invitation; no longer sending it (an operator can resend it)');
    return { kind: 'finish', commit: (tx) => honourLateRequest(tx, ctx) };
  }
  await deps.webex.wholesale.sendConsentMoveEmail(user.subscriberId!);
  await deps.accounts.recordInvitationResent(user.accountId, user.email, 'schedule', now);
  ctx.log.info({ resent: invitation.resent + 1, of: settings.resendCount }, 'Webex invitation sent again');
  return lookAgain();
}

/**
 * An operator may ask for the invitation while this attempt runs, after it read the user: the request then finds
 * the job claimed and cannot move it. Checked again in the commit that reschedules (or ends) the job, so that the
 * request is never left waiting for the next look, whichever of the two commits first.
 */
async function honourLateRequest(tx: StoreParts, ctx: JobContext<ConsentJobPayload>): Promise<void> {
  const { accountId, email } = ctx.job.payload;
  if ((await tx.accounts.user(accountId, email))?.invitation?.resendRequestedAt === undefined) return;
  const now = ctx.now();
  if (!(await tx.queue.requeue(ctx.job.id, now))) await tx.queue.bringForward(ctx.job.id, now, now);
}

/** The user accepted: the subscriber gets the subscription's packages as they are now, and the user is active. */
async function accepted(deps: HandlerDeps, settings: ConsentWatchSettings, ctx: JobContext<ConsentJobPayload>, user: AccountUser): Promise<JobOutcome> {
  const account = await deps.accounts.get(user.accountId);
  if (!account) return { kind: 'finish' };
  const attempt: AttemptContext = { checkpoint: jobCheckpoint(ctx), reads: new AttemptReads(deps.webex), log: ctx.log, now: ctx.now, note: async (detail) => ctx.log.info(detail) };
  const customer = await accountCustomer(deps, attempt, account);
  const active = { ...user, status: 'active' as const };
  const placements = customer === 'wait' ? 'wait' : await convergeSubscribers(deps, attempt, customer, [active], user.packages);
  if (placements === 'wait') return { kind: 'later', runAt: ctx.now() + settings.pollIntervalMs, failed: false, waitingFor: 'Webex to update the subscriber' };
  await deps.accounts.rememberUser({ ...active, ...placements[0] }, ctx.now());
  ctx.log.info('the user accepted Webex\'s invitation; their service has started');
  return { kind: 'finish' };
}
