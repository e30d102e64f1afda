import type { ProvisioningSettings } from '../config';
import { ProvisioningError } from '../provisioning/errors';
import { callingPlacement } from '../provisioning/subscriber';
import type { AccountMemory, AccountUser } from '../store/accounts';
import type { WebexClient } from '../webex/client';
import { WebexApiError, WebexResponseShapeError } from '../webex/errors';
import { isCallingPackage } from '../webex/packageRules';
import type { SubscriberParameters } from '../webex/wholesale';
import type { Repair } from './drift';

export interface RepairDeps {
  webex: WebexClient;
  settings: ProvisioningSettings;
  accounts: AccountMemory;
  now: () => number;
}

/** What a repair did in Webex; `trackingId` is Webex's for the call that made (or refused) the change. */
export interface RepairOutcome {
  outcome: 'repaired' | 'failed';
  /** The change asked of Webex, e.g. "POST /wholesale/subscribers ada@example.com: webex_calling, extension 1234". */
  action: string;
  trackingId?: string;
  detail: string;
}

const list = (packages: readonly string[]) => packages.join(', ');
const gainsCalling = (packages: readonly string[], current: readonly string[]) => packages.some(isCallingPackage) && !current.some(isCallingPackage);

/** The calls `--fix` would make for a repair, in order, as `--dry-run` shows them. */
export function plannedCalls(repair: Repair): string[] {
  switch (repair.kind) {
    case 'create_subscriber': {
      const { user } = repair;
      const place = user.packages.some(isCallingPackage) ? placementCalls(user) : [];
      return [...place, `POST /wholesale/subscribers ${user.email}: ${list(user.packages)}`];
    }
    case 'set_subscriber_packages': {
      const place = gainsCalling(repair.user.packages, repair.current) ? placementCalls(repair.user) : [];
      return [...place, `PUT /wholesale/subscribers/${repair.subscriberId} (${repair.user.email}): ${list(repair.current)} → ${list(repair.user.packages)}`];
    }
    case 'set_customer_packages':
      return [`PUT /wholesale/customers/${repair.customerId}: ${list(repair.current)} → ${list(repair.packages)}`];
  }
}

function placementCalls(user: AccountUser): string[] {
  const wanted = user.extension ? `extension ${user.extension} if still free, else another` : 'a free extension';
  return ['GET /locations (the customer\'s calling locations)', `POST /telephony/config/locations/{locationId}/actions/validateExtensions/invoke (${wanted})`];
}

/**
 * Makes one repair in Webex and brings the memory up to date with it (a re-created subscriber's new ID and
 * extension). A refusal is an outcome, not an exception: the run goes on with the next repair. Placement follows
 * provisioning: the user's old location and extension when still there and free, else the customer's location
 * and a free extension.
 */
export async function executeRepair(deps: RepairDeps, repair: Repair): Promise<RepairOutcome> {
  let action = plannedCalls(repair).at(-1)!;
  try {
    switch (repair.kind) {
      case 'create_subscriber': {
        const { user, customer } = repair;
        const placement = user.packages.some(isCallingPackage) ? await place(deps, repair) : {};
        action = withPlacement(action, placement);
        const answer = await deps.webex.wholesale.createSubscriberAnswer({
          customerId: customer.id,
          email: user.email,
          packages: user.packages,
          provisioningParameters: { firstName: user.firstName, lastName: user.lastName, ...placement },
        });
        await remember(deps, user, answer.data.id, placement);
        return { outcome: 'repaired', action, trackingId: answer.trackingId, detail: `subscriber ${user.email} created again (${answer.data.status ?? 'provisioned'})` };
      }
      case 'set_subscriber_packages': {
        const { user } = repair;
        const placement = gainsCalling(user.packages, repair.current) ? await place(deps, repair) : {};
        action = withPlacement(action, placement);
        const answer = await deps.webex.wholesale.updateSubscriberAnswer(repair.subscriberId, {
          packages: user.packages,
          ...(Object.keys(placement).length ? { provisioningParameters: placement } : {}),
        });
        await remember(deps, user, repair.subscriberId, placement);
        return { outcome: 'repaired', action, trackingId: answer.trackingId, detail: `subscriber ${user.email} has ${list(user.packages)} again` };
      }
      case 'set_customer_packages': {
        const answer = await deps.webex.wholesale.updateCustomerAnswer(repair.customerId, { packages: repair.packages });
        return { outcome: 'repaired', action, trackingId: answer.trackingId, detail: `customer ${repair.customerId} has ${list(repair.packages)} again (Webex updates it in the background)` };
      }
    }
  } catch (err) {
    if (err instanceof WebexApiError) return { outcome: 'failed', action, trackingId: err.trackingId, detail: refusalText(err) };
    if (err instanceof WebexResponseShapeError) return { outcome: 'failed', action, trackingId: err.trackingId, detail: err.message };
    // No location, or no free extension: Webex was not asked to change anything.
    if (err instanceof ProvisioningError) return { outcome: 'failed', action, trackingId: err.trackingId, detail: err.message };
    throw err;
  }
}

/** A calling package needs a location and a free extension: the user's own again when possible. */
function place(deps: RepairDeps, repair: { customer: Parameters<typeof callingPlacement>[2]; user: AccountUser }): Promise<SubscriberParameters> {
  return callingPlacement(deps, deps.now, repair.customer, { extension: repair.user.extension, locationId: repair.user.locationId });
}

const withPlacement = (action: string, placement: SubscriberParameters) => (placement.extension ? `${action}, extension ${placement.extension}` : action);

async function remember(deps: RepairDeps, user: AccountUser, subscriberId: string, placement: SubscriberParameters): Promise<void> {
  await deps.accounts.rememberUser(
    {
      accountId: user.accountId,
      email: user.email,
      appDirectUuid: user.appDirectUuid,
      firstName: user.firstName,
      lastName: user.lastName,
      subscriberId,
      packages: user.packages,
      extension: placement.extension ?? user.extension,
      locationId: placement.locationId ?? user.locationId,
      status: user.status,
    },
    deps.now(),
  );
}

/** Webex's reason, and what it most likely means for a subscriber created again. */
function refusalText(err: WebexApiError): string {
  if (err.status === 409 && err.details.path.startsWith('/wholesale/subscribers')) {
    return `${err.message}. The e-mail still belongs to a Webex user (removing a subscriber leaves its user in the organisation): delete that user in Control Hub if it may go (its Webex data goes with it), then run the repair again`;
  }
  return err.message;
}
