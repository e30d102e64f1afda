import { AppDirectClient, AppDirectError } from '../appdirect/client';
import { backoffMs } from '../backoff';
import { withLogContext } from '../log';
import type { JobObserver } from '../metrics/observers';
import type { Store } from '../store';
import { EventJobPayload, RESULT_DELIVERY } from './eventJobs';
import { errorText, JobHandler, JobOutcome } from './runner';

export interface ResultDeliveryDeps {
  store: Store;
  appDirect: AppDirectClient;
  observer?: JobObserver;
}

/**
 * POSTs an event's result to AppDirect, which keeps the subscription pending until it hears from us: tried
 * again with backoff for as long as AppDirect may still take it, given up only when AppDirect refuses it.
 */
export function resultDeliveryHandler(deps: ResultDeliveryDeps, settings: { retryBaseMs: number; retryMaxMs: number }): JobHandler<EventJobPayload> {
  return {
    kind: RESULT_DELIVERY,
    run: (ctx) =>
      withLogContext({ eventToken: ctx.job.payload.token }, async (): Promise<JobOutcome> => {
        const { token } = ctx.job.payload;
        const record = await deps.store.journal.get(token);
        if (!record?.result) return { kind: 'finish', state: 'failed', error: 'the event has no result to deliver' };
        try {
          await deps.appDirect.postResult(token, record.result);
        } catch (err) {
          const message = errorText(err);
          if (err instanceof AppDirectError && !err.retryable) {
            return {
              kind: 'finish',
              state: 'failed',
              error: message,
              commit: async (tx) => {
                await tx.journal.markDeliveryRejected(token, message, ctx.now());
                await tx.journal.addTimeline(token, 'delivery', `AppDirect refused the result: ${message}`, ctx.now());
              },
              after: () => {
                ctx.log.error({ problem: message }, 'AppDirect refused the result; giving up on delivery');
                deps.observer?.resultDelivered('rejected');
              },
            };
          }
          const attempts = ctx.job.attempts + 1;
          const retryAfter = err instanceof AppDirectError ? (err.retryAfterMs ?? 0) : 0;
          const delay = Math.max(retryAfter, backoffMs(attempts, settings.retryBaseMs, settings.retryMaxMs));
          ctx.log.warn({ attempt: attempts, retryInMs: delay, problem: message }, 'result delivery failed; will retry');
          return { kind: 'later', runAt: ctx.now() + delay, failed: true, error: message, after: () => deps.observer?.retrying('result_delivery') };
        }
        return {
          kind: 'finish',
          commit: async (tx) => {
            await tx.journal.markDelivered(token, ctx.now());
            await tx.journal.addTimeline(token, 'delivered', 'result delivered to AppDirect', ctx.now());
          },
          after: () => {
            ctx.log.info('result delivered to AppDirect');
            deps.observer?.resultDelivered('delivered');
          },
        };
      }),
  };
}
