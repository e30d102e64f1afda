import { isOrgVisible } from './provisioning';
import type { SimCustomer, SimLocation, SimPerson, SimSubscriber, WebexSimState } from './state';

/** Error codes the sim puts in asynchronous provisioning results; they are the sim's own, not Webex's. */
const PROVISIONING_ERROR_CODE = 1001;
const PROVISIONING_WARNING_CODE = 2560;

function packageDetails(customer: SimCustomer): object[] {
  const detail = customer.outcomeDetail;
  return customer.packages.map((name, index) => {
    switch (customer.status) {
      case 'provisioning':
        return { name, status: 'provisioning' };
      case 'error':
        return { name, status: 'error', errors: [{ errorCode: PROVISIONING_ERROR_CODE, description: detail ?? 'Provisioning failed.' }] };
      case 'provisioned_with_errors':
        // One package carrying the warning is enough for clients to find and report it.
        return index === 0
          ? { name, status: 'provisioned', warnings: [{ errorCode: PROVISIONING_WARNING_CODE, description: detail ?? 'Provisioned with warnings.' }] }
          : { name, status: 'provisioned' };
      default:
        return { name, status: 'provisioned' };
    }
  });
}

/** A Customer object of the spec; `orgId` only once the org exists, `errors` only when provisioning failed. */
export function customerJson(customer: SimCustomer): object {
  return {
    id: customer.id,
    ...(isOrgVisible(customer) ? { orgId: customer.orgId } : {}),
    externalId: customer.externalId,
    address: customer.address,
    status: customer.status,
    packages: customer.packages,
    resourceDetails: { packages: packageDetails(customer) },
    ...(customer.status === 'error'
      ? { errors: [{ errorCode: PROVISIONING_ERROR_CODE, description: customer.outcomeDetail ?? 'Provisioning failed.' }] }
      : {}),
  };
}

/** A Subscriber object of the spec; `personId` only once provisioned. The singular `package` is never sent. */
export function subscriberJson(state: WebexSimState, subscriber: SimSubscriber): object {
  const customer = state.customers.get(subscriber.customerId);
  return {
    id: subscriber.id,
    ...(subscriber.status === 'provisioned' ? { personId: subscriber.personId } : {}),
    email: subscriber.email,
    customerId: subscriber.customerId,
    ...(customer ? { externalCustomerId: customer.externalId } : {}),
    packages: subscriber.packages,
    status: subscriber.status,
    created: new Date(subscriber.createdAt).toISOString(),
    lastStatusChange: new Date(subscriber.lastStatusChange).toISOString(),
  };
}

export function personJson(person: SimPerson): object {
  return {
    id: person.id,
    emails: person.emails,
    ...(person.primaryPhoneNumber ? { phoneNumbers: [{ type: 'work', value: person.primaryPhoneNumber, primary: true }] } : {}),
    ...(person.extension ? { extension: person.extension } : {}),
    ...(person.locationId ? { locationId: person.locationId } : {}),
    displayName: person.displayName,
    ...(person.firstName ? { firstName: person.firstName } : {}),
    ...(person.lastName ? { lastName: person.lastName } : {}),
    orgId: person.orgId,
    created: new Date(person.createdAt).toISOString(),
    type: 'person',
  };
}

export function locationJson(location: SimLocation): object {
  return { id: location.id, name: location.name, orgId: location.orgId, address: location.address };
}
