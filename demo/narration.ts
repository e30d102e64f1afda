import type { AppDirectSim } from '../sim/appdirect';
import type { RecordedCall, WebexSim } from '../sim/webex';
import { shortId } from './ids';
import { describeWebexCall } from './webexCalls';

/** One exchange of a step: shown shortened on screen, whole in the log file, with its bodies in both when asked. */
export interface Exchange {
  at: number;
  /** Orders exchanges of the same millisecond: an answer comes after the Webex calls that led to it. */
  phase: 0 | 1 | 2;
  who: 'AppDirect → connector' | 'connector → AppDirect' | 'connector → Webex';
  short: string;
  full: string;
  bodies: Array<[label: string, body: unknown]>;
}

export interface Notification {
  token: string;
  eventType?: string;
  answer: { status: number; body: unknown };
}

type Json = Record<string, unknown>;

/** An AppDirect result in words: "success, account 6b660f9b…: <message>" or "failure USER_NOT_FOUND: <message>". */
export function resultText(body: unknown, shorten: boolean): string {
  const result = (body ?? {}) as Json;
  const id = (v: unknown) => (shorten ? shortId(String(v)) : String(v));
  const parts = [
    result.success === true ? 'success' : `failure ${String(result.errorCode ?? '')}`.trim(),
    result.accountIdentifier !== undefined && `account ${id(result.accountIdentifier)}`,
    result.userIdentifier !== undefined && `user ${id(result.userIdentifier)}`,
  ].filter(Boolean);
  return `${parts.join(', ')}${typeof result.message === 'string' ? `: "${result.message}"` : ''}`;
}

const eventPath = (token: string, shorten: boolean) => `/api/integration/v1/events/${shorten ? shortId(token) : token}`;

/** What the marketplace saw of one step: the notification, its answer, the token, the event fetch and the result. */
function appDirectExchanges(appDirect: AppDirectSim, since: number, notification: Notification, event: Json): Exchange[] {
  const { token } = notification;
  const results = appDirect.results.filter((r) => r.token === token && r.at >= since);
  return appDirect.timeline
    .filter((entry) => entry.at >= since && (entry.token === token || entry.kind === 'token'))
    .map((entry): Exchange => {
      const both = (who: Exchange['who'], text: (shorten: boolean) => string, bodies: Exchange['bodies'] = []): Exchange => ({
        at: entry.at,
        phase: entry.kind === 'notify-answer' || entry.kind === 'result' ? 2 : 0,
        who,
        short: text(true),
        full: text(false),
        bodies,
      });
      switch (entry.kind) {
        case 'notify': {
          const hint = notification.eventType ? `&eventType=${notification.eventType}` : '';
          const auth = /\((\w+) auth/.exec(entry.detail)?.[1];
          const eventUrl = (s: boolean) => (s ? `…/events/${shortId(token)}` : `${appDirect.url}${eventPath(token, s)}`);
          return both('AppDirect → connector', (s) => `GET /subscription_receiver?eventUrl=${eventUrl(s)}${hint}${auth ? ` (${auth === 'basic' ? 'Basic' : auth} auth)` : ''}`);
        }
        case 'notify-answer': {
          const { status, body } = notification.answer;
          const meaning = (s: boolean) => (status === 202 ? 'accepted, the result will be POSTed when Webex has finished' : resultText(body, s));
          return both('connector → AppDirect', (s) => `answered the notification: HTTP ${status}, ${meaning(s)}`, [['answer', body]]);
        }
        case 'token':
          return both('connector → AppDirect', () => `POST /oauth2/token → ${entry.detail}`);
        case 'event-fetch': {
          // As the marketplace serves it: with its own base URL filled in.
          const served = { ...event, marketplace: { ...(event.marketplace as Json | undefined), baseUrl: appDirect.url } };
          return both('connector → AppDirect', (s) => `GET ${eventPath(token, s)} → ${entry.detail}`, [['event', served]]);
        }
        case 'result': {
          const received = entry.detail.startsWith('received') ? results.shift() : undefined;
          const outcome = (s: boolean) => (received ? `204, ${resultText(received.body, s)}` : entry.detail);
          return both('connector → AppDirect', (s) => `POST ${eventPath(token, s)}/result → ${outcome(s)}`, received ? [['result', received.body]] : []);
        }
      }
    });
}

function webexExchange(call: RecordedCall): Exchange {
  return {
    at: call.at,
    phase: 1,
    who: 'connector → Webex',
    short: describeWebexCall(call, true),
    full: describeWebexCall(call, false),
    bodies: [
      ['request', call.requestBody && Object.keys(call.requestBody as object).length ? call.requestBody : undefined],
      ['answer', call.responseBody],
    ],
  };
}

/** Everything both sides saw since `since`, in time order. */
export function exchangesSince(since: number, deps: { appDirect: AppDirectSim; webex: WebexSim }, notification: Notification, event: Json): Exchange[] {
  const webex = deps.webex.calls.filter((call) => call.at >= since).map(webexExchange);
  return [...appDirectExchanges(deps.appDirect, since, notification, event), ...webex].sort((a, b) => a.at - b.at || a.phase - b.phase);
}
