import { success } from '../appdirect/results';
import { consentWatchJob } from './consentJobs';
import type { AccountUser, UserStatus } from '../store/accounts';
import { done, HandlerContext, HandlerDeps, HandlerOutcome } from './context';
import { awaitsConsent, Person, PlacedSubscriber } from './subscriber';

/** What the connector remembers of a user it just provisioned (or found waiting for the user's consent). */
export async function rememberProvisioned(
  deps: HandlerDeps,
  ctx: HandlerContext,
  accountId: string,
  person: Person & { appDirectUuid?: string },
  packages: string[],
  placed: PlacedSubscriber,
): Promise<AccountUser['status']> {
  const status: UserStatus = awaitsConsent(placed.subscriber) ? 'pending_consent' : 'active';
  await deps.accounts.rememberUser(
    { accountId, email: person.email, appDirectUuid: person.appDirectUuid, firstName: person.firstName, lastName: person.lastName, subscriberId: placed.subscriber.id, packages, extension: placed.extension, locationId: placed.locationId, status },
    ctx.now(),
  );
  if (status === 'pending_consent') await deps.accounts.recordInvited(accountId, person.email, ctx.now());
  return status;
}

/** Why success is the answer while the user has not accepted yet: Webex has done all it can. */
export const consentMessage = (email: string) =>
  `${email} already has a Webex account: Webex sent them an invitation to move it to this organisation, and their service starts when they accept`;

/** The answer for a user provisioned now; one still to accept Webex's invitation is watched until they do. */
export function userProvisioned(ctx: HandlerContext, accountId: string, email: string, status: UserStatus, placed: PlacedSubscriber, packages: string[]): HandlerOutcome {
  const userIdentifier = placed.subscriber.id;
  if (status === 'pending_consent') {
    return done(success({ accountIdentifier: accountId, userIdentifier, message: consentMessage(email) }), [consentWatchJob(accountId, email, ctx.now())]);
  }
  return done(success({ accountIdentifier: accountId, userIdentifier, message: `Webex ${packages.join(', ')} provisioned for ${email}` }));
}
