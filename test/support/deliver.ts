import type { Harness } from './harness';

/** AppDirect's side of one event: add it, notify the connector, and take the result from the answer or the later POST. */
export async function deliver(h: Harness, event: Record<string, unknown>, eventType?: string) {
  const { token } = h.appDirect.addEvent(event);
  const answer = await h.appDirect.notify(h.connector.url, token, { eventType });
  const result = answer.status === 202 ? await h.appDirect.waitForResult(token, 15_000) : answer.body;
  return { token, answer, result };
}

/** The simulated Webex's subscriber for an e-mail, and the customer of a company. */
export const subscriberOf = (h: Harness, email: string) => [...h.webex.state.subscribers.values()].find((s) => s.email.toLowerCase() === email.toLowerCase());
export const customerOf = (h: Harness, companyUuid: string) => [...h.webex.state.customers.values()].find((c) => c.externalId === companyUuid);
export const personOf = (h: Harness, email: string) => [...h.webex.state.people.values()].find((p) => p.emails.some((e) => e.toLowerCase() === email.toLowerCase()));

/** A fresh e-mail address, so tests sharing a simulator never collide. */
export const freshEmail = (who = 'user') => `${who}.${Math.random().toString(36).slice(2, 10)}@buyer.example.com`;
