import type { Config } from '../config';
import { configuredReconciler } from '../jobs/reconcile';
import { connectorTokenSource } from '../jobs/webexAccess';
import { createLogger } from '../log';
import type { Progress } from '../reconcile/reconciler';
import { inSync, ReconcileReport } from '../reconcile/report';
import type { Store } from '../store';
import type { EventsCommand } from './args';
import type { CliIo } from './cli';
import { reconcileJson, reconcileText } from './reconcileOutput';

type ReconcileCommand = Extract<EventsCommand, { kind: 'reconcile' }>;

/** Progress shows only on a terminal, and only once a run has taken longer than this. */
const PROGRESS_AFTER_MS = 1000;

/**
 * `npm run events -- reconcile [--fix] [--dry-run] [--json]`: compares with Webex, with the connector's own Webex
 * credentials (renewed tokens come from the store, as the running connector keeps them) and at its pace.
 * Resolves to the exit status: 0 in sync, 1 drift (left), 3 not everything could be compared.
 */
export async function runReconcile(command: ReconcileCommand, config: Config, store: Store, io: CliIo, now: () => number, progressAfterMs = PROGRESS_AFTER_MS): Promise<number> {
  // The CLI's own output says what matters; log lines (a retried call, the fixed-token warning) would only clutter it.
  const logger = createLogger({ level: 'silent' });
  const reconciler = configuredReconciler(config, { store, tokens: connectorTokenSource(config, store, logger, now), logger, now });
  const progress = terminalProgress(io.stderr, now, progressAfterMs);
  let report: ReconcileReport;
  try {
    report = await reconciler.run({ trigger: 'cli', mode: command.dryRun ? 'dry-run' : command.fix ? 'fix' : 'report', onProgress: progress.show });
  } catch (err) {
    progress.clear();
    io.stderr.write(`events: reconcile could not compare with Webex: ${err instanceof Error ? err.message : String(err)}\n`);
    return 3;
  }
  progress.clear();
  io.stdout.write(`${command.json ? reconcileJson(report) : reconcileText(report)}\n`);
  if (!inSync(report)) return 1;
  return report.unchecked.length ? 3 : 0;
}

/** One line on the terminal, rewritten in place as customers are compared; nothing when stderr is not a terminal. */
function terminalProgress(stderr: CliIo['stderr'], now: () => number, afterMs: number): { show(p: Progress): void; clear(): void } {
  const startedAt = now();
  let shown = false;
  return {
    show(p) {
      if (!stderr.isTTY || now() - startedAt < afterMs) return;
      shown = true;
      stderr.write(`\r\x1b[Kreconcile: ${p.customersDone} of ${p.customers} customer(s) compared, ${p.webexCalls} Webex call(s)`);
    },
    clear() {
      if (shown) stderr.write('\r\x1b[K');
    },
  };
}
