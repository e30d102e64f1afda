import { randomUUID } from 'node:crypto';
import { orderEvent } from '../../sim/appdirect/events';
import type { EventRecord } from '../../src/store/types';
import { Harness, settledEvent } from '../support/harness';

/** Distinctive, so that a search of pages, cookies and logs for it means something. */
export const ADMIN_TOKEN = 'admin-SECRET-token-4b9d0c1e';

/** Two attempts per event, so a Webex outage turns into a failed event quickly. */
export const OPERATOR_ENV = { ADMIN_TOKEN, JOB_MAX_ATTEMPTS: '2', SYNC_BUDGET_MS: '300', EDITION_PACKAGES: '{"BASIC":"webex_meetings"}' };

/** Webex's client tries a call four times; the runner makes JOB_MAX_ATTEMPTS=2 attempts. */
const WEBEX_TRIES_PER_EVENT = 4 * 2;

/** Notifies the connector and waits until the event has finished (and its result, if due, is delivered). */
export async function notifyAndSettle(h: Harness, event: Record<string, unknown>): Promise<EventRecord> {
  const { token } = h.appDirect.addEvent(event);
  await h.appDirect.notify(h.connector.url, token);
  return settledEvent(h.connector.store, token);
}

/**
 * An order whose customer Webex creates, but whose subscriber step Webex keeps refusing (429) until
 * the event's attempts are spent: it fails with TRANSPORT_ERROR, and a retry afterwards succeeds.
 */
export async function orderFailingAtSubscriber(h: Harness, companyName = 'Acme Pizza') {
  const companyUuid = randomUUID();
  h.webex.faults.next({ method: 'POST', pathPrefix: '/wholesale/subscribers', status: 429, retryAfterSeconds: 0, times: WEBEX_TRIES_PER_EVENT });
  const email = `${randomUUID().slice(0, 8)}@buyer.example.com`;
  const record = await notifyAndSettle(h, orderEvent({ companyUuid, companyName, email, firstName: 'Ada', lastName: 'Lovelace', editionCode: 'BASIC' }));
  if (record.result?.success !== false || record.result.errorCode !== 'TRANSPORT_ERROR') throw new Error(`expected a TRANSPORT_ERROR, got ${JSON.stringify(record.result)}`);
  return { token: record.token, companyUuid, email };
}

/** How many customers Webex was asked to create for a company (a retry must not add one). */
export const customerCreations = (h: Harness, companyUuid: string) =>
  h.webex.calls.filter((c) => c.method === 'POST' && c.path === '/wholesale/customers' && c.status < 300 && JSON.stringify(c.requestBody).includes(companyUuid)).length;
