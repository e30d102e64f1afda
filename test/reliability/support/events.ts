import { randomUUID } from 'node:crypto';
import { assignEvent, orderEvent } from '../../../sim/appdirect/events';
import type { Fleet } from './fleet';
import type { Expected } from './outcome';

const newEmail = (who: string) => `${who}-${randomUUID().slice(0, 8)}@reliability.example.com`;

/** A new company orders: one Webex customer and its first subscriber. */
export function addOrder(fleet: Fleet, editionCode: 'CALLING' | 'MEETINGS' = 'CALLING'): Expected {
  const companyUuid = randomUUID();
  const email = newEmail('buyer');
  const event = orderEvent({ companyUuid, companyName: `Company ${companyUuid.slice(0, 6)}`, email, firstName: 'Ada', lastName: 'Buyer', editionCode });
  return { token: fleet.appDirect.addEvent(event).token, companyUuid, email, createsCustomer: true };
}

/** A colleague joins a company that already ordered: one more subscriber, no customer. */
export function addAssignment(fleet: Fleet, companyUuid: string): Expected {
  const email = newEmail('colleague');
  const event = assignEvent({ accountIdentifier: companyUuid, user: { email, firstName: 'Col', lastName: 'League' } });
  return { token: fleet.appDirect.addEvent(event).token, companyUuid, email, createsCustomer: false };
}

/** Waits until AppDirect has a result for every event: in the answer to its notification, or POSTed. */
export async function allResolved(fleet: Fleet, expected: Expected[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const resolved = (e: Expected) => fleet.answers.get(e.token)?.[0]?.status === 200 || fleet.appDirect.results.some((r) => r.token === e.token);
  while (!expected.every(resolved)) {
    if (Date.now() > deadline) throw new Error(`no result within ${timeoutMs} ms for ${expected.filter((e) => !resolved(e)).map((e) => e.token).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
