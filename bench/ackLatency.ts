import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AckTarget, AckTargetName, ackTargets } from './ackTargets';
import { ProfileSummary, takeProfile } from './cpuProfile';
import { Arrivals, LoadPlan, LoadResult, runLoad } from './loadPlan';
import type { AckOptions } from './options';
import { planOrders } from './orders';
import { notificationUrl, Stack } from './stack';
import { ascending, percentile } from './stats';
import { sampleUsage, UsageSummary } from './usageSampler';

/** The measured setting: answer 202 as soon as the notification is journaled. */
export const MEASURED_BUDGET_MS = 0;
export const DEFAULT_BUDGET_MS = 5000;
/** Notifications registered per second of a closed-loop run: more than any target here answers, so the run lasts its time. */
export const SATURATION_POOL_PER_SECOND = 5000;
/** Raw profiles of the saturation runs are kept here, in the temporary folder, for a profiler's own viewer. */
export const PROFILE_FOLDER = path.join('connector-bench', 'profiles');

/**
 * The rates in both arrival shapes, throughput at saturation, shorter runs in between to find where the
 * connector breaks, and the default budget for contrast.
 */
export type AckRunKind = 'measured' | 'saturation' | 'sweep' | 'default budget';

interface RunSpec {
  target: AckTarget;
  kind: AckRunKind;
  arrivals: Arrivals;
  seconds: number;
  budgetMs: number;
}

export interface AckRun extends Omit<RunSpec, 'target'> {
  target: AckTargetName;
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
  /** A closed loop used up its notifications before its time: it ran shorter (the rate still holds). */
  ranOutAfterMs?: number;
  idleRssBytes: number;
  underLoad: UsageSummary;
  /** Saturation runs only: where the process spent the run, from node's CPU profiler. */
  profile?: ProfileSummary;
}

/**
 * Acknowledgement latency and throughput of /subscription_receiver, for the bare reference route and the connector
 * on each store, one fresh process per run. Every notification is a new company's order with its own event token,
 * registered with the AppDirect simulator beforehand, so the connector journals it, and works it in the background,
 * like a real one; the bare route gets the very same requests.
 */
export async function measureAcknowledgements(options: AckOptions, say: (line: string) => void): Promise<AckRun[]> {
  const runs: AckRun[] = [];
  for (const spec of plannedRuns(options, ackTargets(options.databaseUrl))) {
    say(`  ${spec.target.name}: ${describeLoad(spec.arrivals, spec.seconds)}, SYNC_BUDGET_MS=${spec.budgetMs}…`);
    runs.push(await measureRun(spec, options.warmupSeconds));
  }
  return runs;
}

/** Grouped by scenario, each scenario on every target in turn, so that drift in the machine's load touches them alike. */
function plannedRuns(options: AckOptions, targets: AckTarget[]): RunSpec[] {
  const connectors = targets.filter((t) => t.isConnector);
  const specs: RunSpec[] = [];
  const add = (on: AckTarget[], kind: AckRunKind, arrivals: Arrivals, seconds: number, budgetMs = MEASURED_BUDGET_MS) =>
    specs.push(...on.map((target) => ({ target, kind, arrivals, seconds, budgetMs })));
  for (const ratePerSecond of options.rates) {
    for (const shape of ['even', 'bursty'] as const) add(targets, 'measured', { shape, ratePerSecond }, options.seconds);
  }
  add(targets, 'saturation', { shape: 'closed loop', connections: options.saturationConnections }, options.saturationSeconds);
  for (const ratePerSecond of options.sweepRates) add(connectors, 'sweep', { shape: 'even', ratePerSecond }, options.sweepSeconds);
  const reference = options.rates[0];
  if (options.defaultBudgetSeconds > 0 && reference !== undefined) {
    add(connectors.slice(0, 1), 'default budget', { shape: 'even', ratePerSecond: reference }, options.defaultBudgetSeconds, DEFAULT_BUDGET_MS);
  }
  return specs;
}

export function describeLoad(arrivals: Arrivals, seconds: number): string {
  return arrivals.shape === 'closed loop'
    ? `closed loop, ${arrivals.connections} connections for ${seconds} s`
    : `${arrivals.ratePerSecond}/s ${arrivals.shape} for ${seconds} s`;
}

async function measureRun(spec: RunSpec, warmupSeconds: number): Promise<AckRun> {
  const profileDir = spec.kind === 'saturation' ? fs.mkdtempSync(path.join(os.tmpdir(), 'connector-bench-profile-')) : undefined;
  const stack = await spec.target.start({ budgetMs: spec.budgetMs, cpuProfileDir: profileDir });
  let run: AckRun;
  const window = { fromUs: 0, toUs: 0 };
  try {
    // Let start-up work (JIT, first journal writes) settle before calling the process idle.
    await sleep(1000);
    const idleRssBytes = (await stack.receiver.usage()).rssBytes;
    let sampler: ReturnType<typeof sampleUsage> | undefined;
    const result = await runLoad(plan(stack, spec, warmupSeconds), () => {
      window.fromUs = monotonicUs();
      sampler = sampleUsage(stack.receiver);
    });
    window.toUs = monotonicUs();
    run = summarise(spec, result, idleRssBytes, await (await sampler!).stop());
  } finally {
    // Stopping is what makes node write the profile.
    await stack.close();
  }
  if (profileDir) run.profile = takeProfile(profileDir, window, path.join(os.tmpdir(), PROFILE_FOLDER, `${spec.target.name.replace(/[^a-z]+/gi, '-')}.cpuprofile`));
  return run;
}

/** The clock of node's CPU profiles, in every process of this machine. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Fresh notifications for the warm-up and the measured part: an open loop needs rate × seconds, a closed loop at most its pool. */
function plan(stack: Stack, spec: RunSpec, warmupSeconds: number): LoadPlan {
  const { arrivals } = spec;
  const urls = (seconds: number) => {
    const count = arrivals.shape === 'closed loop' ? SATURATION_POOL_PER_SECOND * seconds : arrivals.ratePerSecond * seconds;
    return planOrders(stack.appDirect, count, count).map((order) => notificationUrl(stack, order.eventUrl));
  };
  return {
    warmupUrls: urls(warmupSeconds),
    warmupSeconds,
    urls: urls(spec.seconds),
    seconds: spec.seconds,
    authorization: stack.notificationAuthorization,
    arrivals,
    maxSockets: arrivals.shape === 'closed loop' ? arrivals.connections : 4096,
  };
}

function summarise(spec: RunSpec, result: LoadResult, idleRssBytes: number, underLoad: UsageSummary): AckRun {
  const sorted = ascending(result.latenciesMs);
  const sent = result.latenciesMs.length + Object.values(result.errors).reduce((a, b) => a + b, 0);
  return {
    ...spec,
    target: spec.target.name,
    sent,
    sorted,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    statuses: result.statuses,
    errors: result.errors,
    achievedPerSecond: result.latenciesMs.length / (result.elapsedMs / 1000),
    maxSendLagMs: result.maxSendLagMs,
    ...(result.ranOut ? { ranOutAfterMs: result.elapsedMs } : {}),
    idleRssBytes,
    underLoad,
  };
}
