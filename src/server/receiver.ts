import type { Request, Response } from 'express';
import { parseEventUrl } from '../appdirect/eventUrl';
import type { NotificationVerifier } from '../appdirect/notificationAuth';
import { AppDirectResult, failure } from '../appdirect/results';
import { acceptNotification } from '../jobs/intake';
import { Logger, withLogContext } from '../log';
import type { Store } from '../store';
import type { EventRecord } from '../store/types';
import { callerSource } from './callerSource';
import type { FailureThrottle } from './failureThrottle';

/** Whether the connector is shutting down; `stopping` aborts notifications still waiting for their result. */
export interface Lifecycle {
  isStopping(): boolean;
  stopping: AbortSignal;
}

export interface ReceiverDeps {
  store: Store;
  lifecycle: Lifecycle;
  verifier: NotificationVerifier;
  marketplaceBaseUrl: string;
  logger: Logger;
  now: () => number;
  /** How long a notification may wait for its result before the answer becomes 202. */
  syncBudgetMs: number;
  /** Notices and ping tests cannot be answered 202, so they may wait longer. */
  noticeBudgetMs: number;
  /** Slows down failed authentication; valid credentials never reach it. */
  failures: FailureThrottle;
}

/** AppDirect takes neither 202 nor a later result for notices and ping tests. */
const mustAnswerNow = (record: EventRecord) => record.type === 'SUBSCRIPTION_NOTICE' || record.flag === 'STATELESS';

const ACCEPTED = { success: true, message: 'Accepted; the result will be sent when Webex has finished' };

/**
 * `/subscription_receiver`: verify the caller, check the event URL, journal the notification, then
 * answer with the result if it comes within the budget, or 202 and deliver the result later.
 */
export function createReceiver(deps: ReceiverDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    // Credentials first: whatever other callers have sent, AppDirect's own notifications are served.
    const verdict = await deps.verifier.verify(req);
    if (!verdict.ok) {
      deps.logger.warn({ reason: verdict.reason, source: req.ip }, 'notification rejected: not from AppDirect');
      const slowed = await deps.failures.failed('notifications', callerSource(req.ip));
      if (slowed.kind === 'shed') {
        res.status(429).set('Retry-After', String(slowed.retryAfterSeconds)).json(failure('UNAUTHORIZED', 'Too many failed authentication attempts at once; try again later'));
        return;
      }
      res.status(401).set('WWW-Authenticate', deps.verifier.challenge).json(failure('UNAUTHORIZED', `Notification not authorised: ${verdict.reason}`));
      return;
    }
    const url = parseEventUrl(req.query.eventUrl, deps.marketplaceBaseUrl);
    if (!url.ok) {
      deps.logger.warn({ reason: url.reason }, 'notification rejected: bad eventUrl');
      res.status(400).json(failure('CONFIGURATION_ERROR', url.reason));
      return;
    }
    if (deps.lifecycle.isStopping()) {
      res.status(503).set('Retry-After', '5').json(failure('TRANSPORT_ERROR', 'The connector is restarting; please retry'));
      return;
    }

    await withLogContext({ eventToken: url.token }, () => journalAndAnswer(deps, req, res, url.token, url.eventUrl));
  };
}

async function journalAndAnswer(deps: ReceiverDeps, req: Request, res: Response, token: string, eventUrl: URL): Promise<void> {
  const log = deps.logger;
  const hint = typeof req.query.eventType === 'string' ? req.query.eventType : undefined;
  // With no time to wait for a result, the 202 is promised in the same commit as the notification itself.
  const promiseLater = deps.syncBudgetMs === 0;
  const { record, created } = await acceptNotification(deps.store, { token, eventUrl: eventUrl.toString(), hint, promiseLater }, deps.now());
  log.debug({ repeat: !created, hint }, 'notification received');
  send(res, (await answerForRepeat(deps, record)) ?? (await waitForAnswer(deps, record)), log);
}

type Answer = { status: 200 | 202; body: AppDirectResult };

const accepted: Answer = { status: 202, body: ACCEPTED as AppDirectResult };

/** A repeated notification gets what the first one got, and never starts the work again. */
async function answerForRepeat(deps: ReceiverDeps, record: EventRecord): Promise<Answer | undefined> {
  if (record.result) {
    // Already promised for the result endpoint: same outcome once delivered, "still coming" until then.
    if (record.ack === 'async') return record.delivery === 'pending' ? accepted : { status: 200, body: record.result };
    // Claim the answer first, so the result is not also POSTed later as one nobody answered.
    return (await deps.store.journal.ackSync(record.token, deps.now())) ? { status: 200, body: record.result } : accepted;
  }
  return record.ack === 'async' ? accepted : undefined;
}

/**
 * Waits for the result within the budget. Whether the event is a notice (which must be answered now, and so
 * may wait longer) is known once it has been read from AppDirect, so the longer budget applies from then on.
 */
async function waitForAnswer(deps: ReceiverDeps, record: EventRecord): Promise<Answer> {
  const { token } = record;
  const started = Date.now();
  const signal = deps.lifecycle.stopping;
  let outcome = await deps.store.journal.awaitOutcome(token, mustAnswerNow(record) ? deps.noticeBudgetMs : deps.syncBudgetMs, signal);
  if (!outcome.settled && mustAnswerNow(outcome.record)) {
    const remaining = deps.noticeBudgetMs - (Date.now() - started);
    if (remaining > 0 && !signal.aborted) outcome = await deps.store.journal.awaitOutcome(token, remaining, signal);
  }
  if (outcome.settled) {
    return (await deps.store.journal.ackSync(token, deps.now())) ? { status: 200, body: outcome.record.result } : accepted;
  }
  return giveUp(deps, outcome.record);
}

async function giveUp(deps: ReceiverDeps, current: EventRecord): Promise<Answer> {
  const { token } = current;
  if (mustAnswerNow(current)) {
    // Recorded durably and still being worked on; AppDirect needs a 200 for these, not a later result.
    await deps.store.journal.ackSync(token, deps.now());
    return { status: 200, body: current.result ?? { success: true, message: 'Notice recorded; processing continues' } };
  }
  const record = await deps.store.journal.ackAsync(token, deps.now());
  return record?.ack === 'sync' && record.result ? { status: 200, body: record.result } : accepted;
}

function send(res: Response, answer: Answer, log: Logger): void {
  log.info({ status: answer.status, result: answer.body }, 'notification answered');
  res.status(answer.status).json(answer.body);
}
