import { randomUUID } from 'node:crypto';
import type { AppDirectSim } from '../sim/appdirect';
import { addonOrderEvent, assignEvent, cancelEvent, changeEvent, orderEvent } from '../sim/appdirect/events';
import type { WebexSim } from '../sim/webex';
import { shortId } from './ids';
import { BODY_INDENT, bodyLines, TIMELINE_INDENT, timelineLines, WIDTH, wrap } from './layout';
import { Exchange, exchangesSince, Notification } from './narration';
import { statusTrail } from './webexCalls';

export interface StoryDeps {
  appDirect: AppDirectSim;
  webex: WebexSim;
  connectorUrl: string;
  /** The screen: lines of at most WIDTH columns. */
  say: (line: string) => void;
  /** The log file: the same story with whole identifiers and every body. */
  log: (line: string) => void;
  verbose: boolean;
}

export interface StoryOutcome {
  events: number;
  succeeded: number;
  resultsPosted: number;
}

interface Chapter {
  title: string;
  event: Record<string, unknown>;
  eventType?: string;
  /** Reuse the token of an earlier chapter: AppDirect sending the same notification again. */
  repeatOf?: number;
}

type Json = Record<string, unknown>;
const field = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((node, key) => (node as Json | null | undefined)?.[key], value);

/** What AppDirect asks in an event: its type, edition, company or account, and the person concerned. */
function askedText(event: Json, shorten: boolean): string {
  const id = (value: unknown) => (shorten ? shortId(String(value)) : String(value));
  const user = field(event, 'payload', 'user', 'email') ?? field(event, 'creator', 'email');
  const company = field(event, 'payload', 'company', 'name');
  const account = field(event, 'payload', 'account', 'accountIdentifier');
  const edition = field(event, 'payload', 'order', 'editionCode');
  return [
    String(event.type),
    edition != null && `edition ${String(edition)}`,
    company != null && `company ${String(company)} (${id(field(event, 'payload', 'company', 'uuid'))})`,
    account != null && `account ${id(account)}`,
    user != null && `user ${String(user)}`,
  ]
    .filter(Boolean)
    .join(', ');
}

const secondsSince = (start: number, at: number) => `+${((at - start) / 1000).toFixed(2)}s`;

/** A whole subscription's life, told as AppDirect would drive it. */
export async function playStory(deps: StoryDeps): Promise<StoryOutcome> {
  const companyUuid = randomUUID();
  const buyer = { email: 'ada@acme-pizza.example.com', firstName: 'Ada', lastName: 'Lovelace' };
  const colleague = { email: 'bob@acme-pizza.example.com', firstName: 'Bob', lastName: 'Builder' };
  const itAdmin = { email: 'carol@acme-pizza.example.com', firstName: 'Carol', lastName: 'Admin' };
  const order = orderEvent({ companyUuid, companyName: 'Acme Pizza', ...buyer, editionCode: 'MEETINGS' });
  const chapters: Chapter[] = [
    { title: 'Acme Pizza, a new company, orders Webex Meetings', event: order, eventType: 'create' },
    { title: 'AppDirect sends the same order notification again', event: order, eventType: 'create', repeatOf: 0 },
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

  const tokens: string[] = [];
  const outcome: StoryOutcome = { events: 0, succeeded: 0, resultsPosted: 0 };
  for (const [index, chapter] of chapters.entries()) {
    const both = (line: string) => {
      deps.say(line);
      deps.log(line);
    };
    both('');
    both(`── ${index + 1}. ${chapter.title} ──`);
    wrap('AppDirect asks: ', askedText(chapter.event, true), '                ').forEach(deps.say);
    deps.log(`AppDirect asks: ${askedText(chapter.event, false)}`);
    // A tick apart, so that nothing of the previous step is shown again in this one.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const start = Date.now();
    const token = chapter.repeatOf === undefined ? deps.appDirect.addEvent(chapter.event).token : tokens[chapter.repeatOf];
    tokens.push(token);
    const answer = await deps.appDirect.notify(deps.connectorUrl, token, { eventType: chapter.eventType });
    const result = answer.status === 202 ? await deps.appDirect.waitForResult(token, 120_000) : answer.body;
    const notification: Notification = { token, eventType: chapter.eventType, answer };

    const exchanges = exchangesSince(start, deps, notification, chapter.event);
    for (const exchange of exchanges) tell(exchange, start, deps);
    const webexCalls = deps.webex.calls.filter((call) => call.at >= start);
    if (webexCalls.length === 0) both(`${TIMELINE_INDENT}no Webex call: the journal already holds this event and its result`);
    statusTrail(webexCalls).forEach((line, i) => wrap(i === 0 ? 'Status:  ' : '         ', line, '           ').forEach(both));

    // The result itself is on its line above; the outcome says how it reached AppDirect.
    const answered = exchanges.find((e) => e.phase === 2 && e.who === 'connector → AppDirect' && e.full.startsWith('answered'));
    const posted = exchanges.filter((e) => e.phase === 2 && e.full.startsWith('POST'));
    const verdict = (result as { success?: boolean } | undefined)?.success === true ? 'success' : 'failure';
    const how =
      answer.status === 202
        ? `answered HTTP 202 at ${secondsSince(start, answered?.at ?? start)}, result POSTed at ${secondsSince(start, posted.at(-1)?.at ?? start)}`
        : `in the answer, HTTP ${answer.status} at ${secondsSince(start, answered?.at ?? start)}`;
    both(`Outcome: ${verdict}, ${how}`);

    outcome.events += 1;
    outcome.resultsPosted += posted.length;
    if ((result as { success?: boolean } | undefined)?.success === true) outcome.succeeded += 1;
  }
  return outcome;
}

function tell(exchange: Exchange, start: number, deps: StoryDeps): void {
  const seconds = (exchange.at - start) / 1000;
  timelineLines(seconds, exchange.who, exchange.short).forEach(deps.say);
  deps.log(`${timelineLines(seconds, exchange.who, '')[0]}${exchange.full}`);
  for (const [label, body] of exchange.bodies) {
    if (deps.verbose) bodyLines(label, body, BODY_INDENT, WIDTH).forEach(deps.say);
    bodyLines(label, body, BODY_INDENT, Number.POSITIVE_INFINITY).forEach(deps.log);
  }
}
