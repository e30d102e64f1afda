import { randomUUID } from 'node:crypto';
import { assignEvent, orderEvent } from '../../sim/appdirect/events';
import { deliver, freshEmail, subscriberOf } from '../support/deliver';
import type { Harness } from '../support/harness';

/** BASIC is Webex Meetings, PRO Webex Calling (which needs a location and an extension). */
export const RECONCILE_ENV = { EDITION_PACKAGES: '{"BASIC":"webex_meetings","PRO":"webex_calling"}' };

export interface Company {
  companyUuid: string;
  name: string;
  /** The buyer first, then the users assigned. */
  users: string[];
}

/** A subscription ordered and provisioned through AppDirect, with `extraUsers` more users assigned. */
export async function subscription(h: Harness, name: string, edition: 'BASIC' | 'PRO', extraUsers = 0): Promise<Company> {
  const companyUuid = randomUUID();
  const buyer = freshEmail('buyer');
  const ordered = await deliver(h, orderEvent({ companyUuid, companyName: name, email: buyer, firstName: 'Ada', lastName: 'Buyer', editionCode: edition }));
  if (!(ordered.result as { success?: boolean }).success) throw new Error(`the order of ${name} failed: ${JSON.stringify(ordered.result)}`);
  const users = [buyer];
  for (let i = 0; i < extraUsers; i++) {
    const email = freshEmail('user');
    const assigned = await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: { email, firstName: 'Bo', lastName: `User${i}` } }));
    if (!(assigned.result as { success?: boolean }).success) throw new Error(`assigning ${email} to ${name} failed: ${JSON.stringify(assigned.result)}`);
    users.push(email);
  }
  return { companyUuid, name, users };
}

/** One company for each kind of drift (two for a missing subscriber: repairable, and not), and one left alone. */
export interface DriftedWorld {
  fine: Company;
  /** Its second user was deleted in Control Hub (subscriber and Webex user): --fix creates it again. */
  userDeleted: Company;
  /** Its buyer's subscriber was removed, its Webex user kept: Webex refuses to create it again. */
  subscriberRemoved: Company;
  /** Support moved its buyer from Webex Calling to Webex Meetings: --fix restores Calling. */
  moved: Company;
  /** The customer deleted itself. */
  gone: Company;
  /** Someone added a subscriber in Partner Hub. */
  stranger: Company;
  strangerEmail: string;
  /** Its second user has been provisioning for two hours. */
  stalled: Company;
  /** Webex put the customer in error. */
  broken: Company;
}

export async function orderEveryCompany(h: Harness): Promise<DriftedWorld> {
  return {
    fine: await subscription(h, 'Fine Foods', 'BASIC'),
    userDeleted: await subscription(h, 'Deleted User Co', 'PRO', 1),
    subscriberRemoved: await subscription(h, 'Removed Subscriber Co', 'PRO'),
    moved: await subscription(h, 'Moved Co', 'PRO'),
    gone: await subscription(h, 'Gone Co', 'BASIC'),
    stranger: await subscription(h, 'Stranger Co', 'BASIC'),
    strangerEmail: freshEmail('stranger'),
    stalled: await subscription(h, 'Stalled Co', 'BASIC', 1),
    broken: await subscription(h, 'Broken Co', 'BASIC'),
  };
}

/** Partner administrators, support and customers change Webex; the connector is told nothing. */
export function driftBehindTheConnectorsBack(h: Harness, w: DriftedWorld): void {
  const { backstage, control } = h.webex;
  backstage.deleteSubscriber(w.userDeleted.users[1]);
  backstage.deleteSubscriber(w.subscriberRemoved.users[0], { keepPerson: true });
  backstage.changePackages(w.moved.users[0], ['webex_meetings']);
  backstage.deleteCustomer(w.gone.companyUuid);
  backstage.addSubscriber({ externalId: w.stranger.companyUuid, email: w.strangerEmail, packages: ['webex_meetings'] });
  backstage.stallSubscriber(w.stalled.users[1], Date.now() - 2 * 3600_000);
  control.customerOutcome(w.broken.companyUuid, 'error', 'The calling location could not be created.');
  if (!subscriberOf(h, w.strangerEmail)) throw new Error('the stranger was not added');
}

/** The drift each company should show, as `kind` lists by account identifier. */
export function expectedDrift(w: DriftedWorld): Record<string, string[]> {
  return {
    [w.userDeleted.companyUuid]: ['subscriber_missing'],
    [w.subscriberRemoved.companyUuid]: ['subscriber_missing'],
    [w.moved.companyUuid]: ['wrong_packages'],
    [w.gone.companyUuid]: ['customer_missing'],
    [w.stranger.companyUuid]: ['subscriber_unknown'],
    [w.stalled.companyUuid]: ['stuck'],
    [w.broken.companyUuid]: ['stuck'],
  };
}

/** Drift entries (of the JSON report) grouped as `expectedDrift` has them. */
export function driftByAccount(drift: Array<{ accountId: string; kind: string }>): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const d of drift) (grouped[d.accountId] ??= []).push(d.kind);
  return grouped;
}
