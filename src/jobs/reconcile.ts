import type { Config, ConsentSettings } from '../config';
import type { Logger } from '../log';
import { CallPacer } from '../reconcile/pacer';
import { createReconciler, Reconciler } from '../reconcile/reconciler';
import { summarize } from '../reconcile/report';
import type { Store } from '../store';
import type { WebexPacer } from '../webex/pacer';
import type { WebexTokenSource } from '../webex/tokenSource';
import { errorText, JobHandler } from './runner';
import { connectorWebexClient, WebexCallObservers } from './webexAccess';

export const RECONCILIATION = 'webex.reconcile';
/** One scheduled reconciliation for the whole deployment: on several instances, one of them runs it. */
const RECONCILIATION_JOB_ID = 'webex-reconcile';

/** How long the connector keeps reminding a user to accept Webex's invitation: after that, waiting is stuck. */
const consentWatchMs = (consent: ConsentSettings) => consent.resendIntervalMs * (consent.resendCount + 1);

/**
 * The reconciler of the connector's configuration. Each run gets its own Webex client on the connector's tokens,
 * its calls spaced to RECONCILE_CALLS_PER_SECOND (the share of the Webex rate budget a run may take) and counted.
 */
export function configuredReconciler(
  config: Pick<Config, 'webex' | 'reconcile' | 'provisioning' | 'consent'>,
  deps: { store: Store; tokens: WebexTokenSource; logger: Logger; now: () => number; observers?: WebexCallObservers; pacer?: WebexPacer },
): Reconciler {
  return createReconciler({
    store: deps.store,
    connect(signal) {
      const pacer = new CallPacer(config.reconcile.callsPerSecond);
      let calls = 0;
      const webex = connectorWebexClient(config, deps.tokens, deps.logger, deps.observers, {
        // Its own, smaller pace first; then the connector's, which provisioning shares.
        pacer: deps.pacer,
        beforeCall: async () => {
          await pacer.take(signal);
          calls += 1;
        },
      });
      return { webex, callsMade: () => calls };
    },
    provisioning: config.provisioning,
    stuckAfterMs: config.reconcile.stuckAfterMs,
    consentWatchMs: consentWatchMs(config.consent),
    logger: deps.logger,
    now: deps.now,
  });
}

/**
 * Reconciles in the background every RECONCILE_EVERY_MINUTES: reports drift (and repairs it with
 * RECONCILE_FIX=true). A run that fails is logged; the next one is on schedule. `stopping` (the server shutting
 * down) stops a run at its next Webex call, and it runs again at the next start.
 */
export function reconciliationHandler(reconciler: Reconciler, settings: { everyMinutes: number; fix: boolean }, stopping?: AbortSignal): JobHandler {
  return {
    kind: RECONCILIATION,
    async run(ctx) {
      const signal = stopping ? AbortSignal.any([ctx.signal, stopping]) : ctx.signal;
      const next = { kind: 'later' as const, runAt: ctx.now() + settings.everyMinutes * 60_000, failed: false, waitingFor: 'the next reconciliation' };
      try {
        const summary = summarize(await reconciler.run({ trigger: 'schedule', mode: settings.fix ? 'fix' : 'report', signal }));
        const found = Object.values(summary.found).some((n) => n > 0);
        ctx.log[found || summary.unchecked ? 'warn' : 'info'](
          { accounts: summary.accounts, driftAccounts: summary.remaining, repaired: summary.repaired, failedRepairs: summary.failed, unchecked: summary.unchecked },
          found ? 'reconciliation found drift between AppDirect and Webex (see the operator page or npm run events -- reconcile)' : 'reconciliation: Webex agrees with what AppDirect was told',
        );
      } catch (err) {
        if (signal.aborted) {
          ctx.log.info('reconciliation stopped before the end; it runs again at the next start');
          return { ...next, runAt: ctx.now() };
        }
        ctx.log.error({ problem: errorText(err) }, 'reconciliation with Webex failed; the next run is on schedule');
      }
      return next;
    },
  };
}

/** At the first start the first run is due at once; later starts keep the schedule (brought forward if it was longer). */
export async function scheduleReconciliation(store: Store, now: number, everyMinutes: number): Promise<void> {
  const added = await store.queue.enqueue({ id: RECONCILIATION_JOB_ID, kind: RECONCILIATION, runAt: now }, now);
  if (!added) await store.queue.bringForward(RECONCILIATION_JOB_ID, now + everyMinutes * 60_000, now);
}

/** An operator asks for a run now; false when the schedule is off or a run is already due or under way. */
export function reconcileNow(store: Store, now: number): Promise<boolean> {
  return store.queue.bringForward(RECONCILIATION_JOB_ID, now, now);
}
