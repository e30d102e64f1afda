import type { Request, Response } from 'express';
import { parseEventUrl } from '../appdirect/eventUrl';
import type { NotificationVerifier } from '../appdirect/notificationAuth';
import { AppDirectResult, failure } from '../appdirect/results';
import type { JobRunner } from '../jobs/runner';
import { Logger, withLogContext } from '../log';
import type { EventRecord, Store } from '../store/types';
import type { AuthThrottle } from './authThrottle';

export interface ReceiverDeps {
  store: Store;
  runner: JobRunner;
  verifier: NotificationVerifier;
  marketplaceBaseUrl: string;
  logger: Logger;
  now: () => number;
  /** How long a notification may wait for its result before the answer becomes 202. */
  syncBudgetMs: number;
  /** Notices and ping tests cannot be answered 202, so they may wait longer. */
  noticeBudgetMs: number;
  authThrottle: AuthThrottle;
}

/** AppDirect takes neither 202 nor a later result for these. */
const mustAnswerNow = (type: string | undefined, flag: string | undefined) => type === 'SUBSCRIPTION_NOTICE' || flag === 'STATELESS';

const ACCEPTED = { success: true, message: 'Accepted; the result will be sent when Webex has finished' };

/**
 * `/subscription_receiver`: verify the caller, check the event URL, journal the notification, then
 * answer with the result if it comes within the budget, or 202 and deliver the result later.
 */
export function createReceiver(deps: ReceiverDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const client = req.ip ?? 'unknown';
    const waitMs = deps.authThrottle.blockedFor(client);
    if (waitMs > 0) {
      res.status(429).set('Retry-After', String(Math.ceil(waitMs / 1000))).json(failure('UNAUTHORIZED', 'Too many failed authentication attempts; try again later'));
      return;
    }
    const verdict = await deps.verifier.verify(req);
    if (!verdict.ok) {
      deps.authThrottle.failed(client);
      deps.logger.warn({ reason: verdict.reason, ip: client }, 'notification rejected: not from AppDirect');
      res.status(401).set('WWW-Authenticate', deps.verifier.challenge).json(failure('UNAUTHORIZED', `Notification not authorised: ${verdict.reason}`));
      return;
    }
    deps.authThrottle.succeeded(client);
    const url = parseEventUrl(req.query.eventUrl, deps.marketplaceBaseUrl);
    if (!url.ok) {
      deps.logger.warn({ reason: url.reason }, 'notification rejected: bad eventUrl');
      res.status(400).json(failure('CONFIGURATION_ERROR', url.reason));
      return;
    }
    if (deps.runner.isStopping) {
      res.status(503).set('Retry-After', '5').json(failure('TRANSPORT_ERROR', 'The connector is restarting; please retry'));
      return;
    }

    await withLogContext({ eventToken: url.token }, () => journalAndAnswer(deps, req, res, url.token, url.eventUrl));
  };
}

async function journalAndAnswer(deps: ReceiverDeps, req: Request, res: Response, token: string, eventUrl: URL): Promise<void> {
  const log = deps.logger;
  const now = deps.now();
  const { record, created } = await deps.store.recordNotification(token, eventUrl.toString(), now);
  await deps.store.addTimeline(token, 'notified', created ? `AppDirect notified (eventType ${String(req.query.eventType ?? 'not given')})` : 'AppDirect notified again', now);
  log.info({ repeat: !created, hint: req.query.eventType }, 'notification received');

  const early = await answerForRepeat(deps, record);
  if (early) {
    send(res, early, log);
    return;
  }
  send(res, await waitForAnswer(deps, record), log);
}

type Answer = { status: 200 | 202; body: AppDirectResult };

/** A repeated notification gets what the first one got, and never starts the work again. */
async function answerForRepeat(deps: ReceiverDeps, record: EventRecord): Promise<Answer | undefined> {
  const accepted: Answer = { status: 202, body: ACCEPTED as AppDirectResult };
  if (record.result) {
    // Already promised for the result endpoint: same outcome once delivered, "still coming" until then.
    if (record.ack === 'async') return record.delivery === 'pending' ? accepted : { status: 200, body: record.result };
    // Claim the answer first, so the result is not also POSTed later as one nobody answered.
    return (await deps.store.ackSync(record.token, deps.now())) ? { status: 200, body: record.result } : accepted;
  }
  return record.ack === 'async' ? accepted : undefined;
}

function waitForAnswer(deps: ReceiverDeps, record: EventRecord): Promise<Answer> {
  const { token } = record;
  return new Promise<Answer>((resolve) => {
    const started = deps.now();
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const cleanups: Array<() => void> = [];
    const finish = (answer: Promise<Answer>) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      cleanups.forEach((c) => c());
      resolve(answer);
    };
    const arm = (ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => finish(giveUp(deps, token)), Math.max(0, ms - (deps.now() - started)));
    };
    cleanups.push(
      deps.runner.onSettled(token, ({ record: settled }) => finish(answerWith(deps, settled))),
      deps.runner.onTyped(token, (event) => {
        if (mustAnswerNow(event.type, event.flag ?? undefined)) arm(deps.noticeBudgetMs);
      }),
      deps.runner.onShutdown(() => finish(giveUp(deps, token))),
    );
    arm(mustAnswerNow(record.type, record.flag) ? deps.noticeBudgetMs : deps.syncBudgetMs);
    deps.runner.kick(token);
  });
}

async function answerWith(deps: ReceiverDeps, record: EventRecord): Promise<Answer> {
  if (await deps.store.ackSync(record.token, deps.now())) return { status: 200, body: record.result! };
  return { status: 202, body: ACCEPTED as AppDirectResult };
}

async function giveUp(deps: ReceiverDeps, token: string): Promise<Answer> {
  const current = await deps.store.get(token);
  if (current && mustAnswerNow(current.type, current.flag)) {
    // Recorded durably and still being worked on; AppDirect needs a 200 for these, not a later result.
    await deps.store.ackSync(token, deps.now());
    return { status: 200, body: current.result ?? { success: true, message: 'Notice recorded; processing continues' } };
  }
  const record = await deps.store.ackAsync(token, deps.now());
  return record.ack === 'sync' && record.result ? { status: 200, body: record.result } : { status: 202, body: ACCEPTED as AppDirectResult };
}

function send(res: Response, answer: Answer, log: Logger): void {
  log.info({ status: answer.status, result: answer.body }, 'notification answered');
  res.status(answer.status).json(answer.body);
}
