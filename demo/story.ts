import { randomUUID } from 'node:crypto';
import type { AppDirectSim } from '../sim/appdirect';
import { addonOrderEvent, assignEvent, cancelEvent, changeEvent, orderEvent } from '../sim/appdirect/events';
import type { WebexSim } from '../sim/webex';
import { linesSince, printLines } from './timeline';

export interface StoryDeps {
  appDirect: AppDirectSim;
  webex: WebexSim;
  connectorUrl: string;
  write: (s: string) => void;
}

interface Chapter {
  title: string;
  event: Record<string, unknown>;
  eventType?: string;
  /** Reuse the token of an earlier chapter: AppDirect sending the same notification again. */
  token?: string;
}

/** A whole subscription's life, told as AppDirect would drive it; returns false if any step failed. */
export async function playStory(deps: StoryDeps): Promise<boolean> {
  const companyUuid = randomUUID();
  const buyer = { email: 'ada@acme-pizza.example.com', firstName: 'Ada', lastName: 'Lovelace' };
  const colleague = { email: 'bob@acme-pizza.example.com', firstName: 'Bob', lastName: 'Builder' };
  const itAdmin = { email: 'carol@acme-pizza.example.com', firstName: 'Carol', lastName: 'Admin' };
  const order = orderEvent({ companyUuid, companyName: 'Acme Pizza', ...buyer, editionCode: 'MEETINGS' });
  const chapters: Chapter[] = [
    { title: 'Acme Pizza, a new company, orders Webex Meetings', event: order, eventType: 'create' },
    { title: 'AppDirect sends the same order notification again', event: order, eventType: 'create', token: 'first' },
    { title: 'A colleague is assigned to the subscription', event: assignEvent({ accountIdentifier: companyUuid, user: colleague }) },
    {
      title: 'Another administrator upgrades the subscription to Webex Calling: both users move',
      event: changeEvent({ accountIdentifier: companyUuid, editionCode: 'CALLING', creator: itAdmin }),
      eventType: 'update',
    },
    {
      title: 'The company adds the Attendant Console add-on: on the customer, then on both users',
      event: addonOrderEvent({ parentAccountIdentifier: companyUuid, editionCode: 'attendant_console', creator: itAdmin }),
      eventType: 'create',
    },
    { title: 'The subscription is cancelled, its add-on with it', event: cancelEvent({ accountIdentifier: companyUuid, email: buyer.email }), eventType: 'cancel' },
  ];

  let firstToken = '';
  let allGood = true;
  for (const [index, chapter] of chapters.entries()) {
    deps.write(`\n── ${index + 1}. ${chapter.title} ──\n`);
    // A tick apart, so the previous chapter's last answer is not shown again in this one.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const start = Date.now();
    const token = chapter.token === 'first' ? firstToken : deps.appDirect.addEvent(chapter.event).token;
    if (!firstToken) firstToken = token;
    const answer = await deps.appDirect.notify(deps.connectorUrl, token, { eventType: chapter.eventType });
    const result = (answer.status === 202 ? await deps.appDirect.waitForResult(token, 120_000) : answer.body) as { success?: boolean };
    printLines(linesSince(start, deps.appDirect, deps.webex), start, deps.write);
    deps.write(`  ⇒ AppDirect answered ${answer.status}${answer.status === 202 ? ', result delivered later' : ''}: ${JSON.stringify(result)}\n`);
    allGood &&= result?.success === true;
  }
  return allGood;
}
