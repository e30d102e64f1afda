import { isCallingPackage } from '../../src/webex/packageRules';
import type { SimContext } from './context';
import { removeCustomer } from './customers';
import { newWebexId } from './ids';
import { settleProvisioning } from './provisioning';
import { findCustomerByExternalId, type SimCustomer, type SimSubscriber } from './state';

/**
 * Changes made to Webex behind the connector's back, as partner administrators, support staff or customers make
 * them in Partner Hub and Control Hub: what a reconciliation must notice. Each throws when what it names is not there,
 * so a test never changes nothing by mistake.
 */
export interface Backstage {
  /**
   * The subscriber goes. By default its Webex user goes too, as deleting the user in Control Hub does; with
   * `keepPerson`, only the subscriber mapping goes (as the API's DELETE does) and the user stays in the organisation.
   */
  deleteSubscriber(email: string, opts?: { keepPerson?: boolean }): void;
  /** Support moves the subscriber to other packages; without a calling package its extension is freed. */
  changePackages(email: string, packages: string[]): void;
  /** The customer deletes itself: its organisation, subscribers, people and locations go. */
  deleteCustomer(externalId: string): void;
  /** A subscriber someone provisioned in Partner Hub, never ordered through AppDirect. */
  addSubscriber(input: { externalId: string; email: string; packages: string[] }): void;
  /** Webex leaves the subscriber provisioning, as it has been since `since` (epoch ms). */
  stallSubscriber(email: string, since: number): void;
}

export function createBackstage(ctx: SimContext): Backstage {
  const { state } = ctx;
  const subscriber = (email: string): SimSubscriber => {
    settleProvisioning(ctx);
    const found = [...state.subscribers.values()].find((s) => s.email.toLowerCase() === email.toLowerCase());
    if (!found) throw new Error(`the Webex simulator has no subscriber ${email}`);
    return found;
  };
  const customer = (externalId: string): SimCustomer => {
    const found = findCustomerByExternalId(state, externalId);
    if (!found) throw new Error(`the Webex simulator has no customer with external ID ${externalId}`);
    return found;
  };
  return {
    deleteSubscriber(email, opts = {}) {
      const gone = subscriber(email);
      state.subscribers.delete(gone.id);
      if (!opts.keepPerson) state.people.delete(gone.personId);
    },
    changePackages(email, packages) {
      const changed = subscriber(email);
      changed.packages = [...packages];
      if (packages.some(isCallingPackage)) return;
      changed.provisioningParameters = { firstName: changed.provisioningParameters.firstName, lastName: changed.provisioningParameters.lastName };
      const person = state.people.get(changed.personId);
      if (person) Object.assign(person, { extension: undefined, locationId: undefined });
    },
    deleteCustomer(externalId) {
      removeCustomer(state, customer(externalId));
    },
    addSubscriber({ externalId, email, packages }) {
      const owner = customer(externalId);
      const now = ctx.now();
      const personId = newWebexId('PEOPLE');
      state.people.set(personId, { id: personId, emails: [email], orgId: owner.orgId, displayName: email, createdAt: now });
      const id = newWebexId('SUBSCRIBER');
      state.subscribers.set(id, { id, customerId: owner.id, email, packages: [...packages], provisioningParameters: {}, personId, status: 'provisioned', busyUntil: now, createdAt: now, lastStatusChange: now });
    },
    stallSubscriber(email, since) {
      Object.assign(subscriber(email), { status: 'provisioning', busyUntil: Number.POSITIVE_INFINITY, lastStatusChange: since });
    },
  };
}
