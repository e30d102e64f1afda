import { setTimeout as sleep } from 'node:timers/promises';
import { LoadResult, runLoad } from './loadPlan';
import type { AckOptions } from './options';
import { planOrders } from './orders';
import { notificationUrl, startStack, Stack } from './stack';
import { ascending, percentile } from './stats';
import { sampleUsage, UsageSummary } from './usageSampler';

/** Webex answers every call this late while notifications are acknowledged: the answer must not wait for it. */
export const WEBEX_LATENCY_MS = 300;
/** The measured setting: answer 202 as soon as the notification is journaled. */
export const MEASURED_BUDGET_MS = 0;
export const DEFAULT_BUDGET_MS = 5000;

/** The rates, shorter runs in between to find where it breaks, and the default budget for contrast. */
export type AckRunKind = 'measured' | 'sweep' | 'default budget';

interface RunSpec {
  kind: AckRunKind;
  ratePerSecond: number;
  seconds: number;
  budgetMs: number;
}

export interface AckRun extends RunSpec {
  sent: number;
  /** Latencies in ms, ascending. */
  sorted: number[];
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  achievedPerSecond: number;
  maxSendLagMs: number;
  idleRssBytes: number;
  underLoad: UsageSummary;
}

/**
 * Acknowledgement latency of /subscription_receiver with the durable journal, one fresh connector per run.
 * Every notification is a new company's order with its own event token, registered with the AppDirect
 * simulator beforehand, so the connector journals it, and works it in the background, like a real one.
 */
export async function measureAcknowledgements(options: AckOptions, say: (line: string) => void): Promise<AckRun[]> {
  const reference = options.rates[0];
  const specs: RunSpec[] = [
    ...options.rates.map((ratePerSecond): RunSpec => ({ kind: 'measured', ratePerSecond, seconds: options.seconds, budgetMs: MEASURED_BUDGET_MS })),
    ...options.sweepRates.map((ratePerSecond): RunSpec => ({ kind: 'sweep', ratePerSecond, seconds: options.sweepSeconds, budgetMs: MEASURED_BUDGET_MS })),
  ];
  if (options.defaultBudgetSeconds > 0 && reference !== undefined) {
    specs.push({ kind: 'default budget', ratePerSecond: reference, seconds: options.defaultBudgetSeconds, budgetMs: DEFAULT_BUDGET_MS });
  }
  const runs: AckRun[] = [];
  for (const spec of specs) {
    say(`  ${spec.ratePerSecond}/s for ${spec.seconds} s, SYNC_BUDGET_MS=${spec.budgetMs}…`);
    runs.push(await measureRun(spec, options.warmupSeconds));
  }
  return runs;
}

async function measureRun(spec: RunSpec, warmupSeconds: number): Promise<AckRun> {
  const stack = await startStack({ webex: { latencyMs: WEBEX_LATENCY_MS }, env: { SYNC_BUDGET_MS: String(spec.budgetMs) } });
  try {
    // Let start-up work (JIT, first journal writes) settle before calling the process idle.
    await sleep(1000);
    const idleRssBytes = (await stack.connector.usage()).rssBytes;
    if (warmupSeconds > 0) await load(stack, spec.ratePerSecond, spec.ratePerSecond * warmupSeconds);
    const sampler = await sampleUsage(stack.connector);
    const result = await load(stack, spec.ratePerSecond, spec.ratePerSecond * spec.seconds);
    return summarise(spec, result, idleRssBytes, await sampler.stop());
  } finally {
    await stack.close();
  }
}

function load(stack: Stack, ratePerSecond: number, count: number): Promise<LoadResult> {
  const orders = planOrders(stack.appDirect, count, count);
  return runLoad({
    urls: orders.map((order) => notificationUrl(stack, order.eventUrl)),
    authorization: stack.notificationAuthorization,
    ratePerSecond,
    maxSockets: 4096,
  });
}

function summarise(spec: RunSpec, result: LoadResult, idleRssBytes: number, underLoad: UsageSummary): AckRun {
  const sorted = ascending(result.latenciesMs);
  const sent = result.latenciesMs.length + Object.values(result.errors).reduce((a, b) => a + b, 0);
  return {
    ...spec,
    sent,
    sorted,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    statuses: result.statuses,
    errors: result.errors,
    achievedPerSecond: result.latenciesMs.length / (result.elapsedMs / 1000),
    maxSendLagMs: result.maxSendLagMs,
    idleRssBytes,
    underLoad,
  };
}
