import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { WEBEX_LATENCY_MS } from './ackTargets';
import { latest, outcomeOf, progressOf, resultWaitOf, webexTail } from './backlogFigures';
import type { BacklogOptions } from './options';
import { PlannedOrder, planOrders } from './orders';
import { startStack, Stack } from './stack';
import { sampleUsage, UsageSummary } from './usageSampler';

/** The connector settings of the run, reported with the figures. */
export const BACKLOG_SETTINGS = {
  SYNC_BUDGET_MS: '0',
  WEBEX_POLL_INTERVAL_MS: '500',
  RETRY_BASE_MS: '1000',
  RETRY_MAX_MS: '5000',
};
export const BACKLOG_SIM = { latencyMs: WEBEX_LATENCY_MS, customerProvisioningMs: 2000, subscriberProvisioningMs: 300 };
/** Notifications in flight while the backlog is handed over, as AppDirect would retry a queue of them. */
export const NOTIFY_PARALLEL = 32;
/** Give up waiting when the connector has done nothing for this long: whatever is missing by then is lost. */
const STALL_MS = 120_000;

export interface ProgressSample {
  seconds: number;
  done: number;
  admittedPerSecond: number;
  refusedPerSecond: number;
}

export interface BacklogReport extends BacklogOptions {
  notifiedMs: number;
  totalMs: number;
  admittedCalls: number;
  refusedCalls: number;
  floorMs: number;
  /** Seconds in which the simulator admitted its full allowance, out of the whole run. */
  saturatedSeconds: number;
  resultsReceived: number;
  succeeded: number;
  /** Failed results by AppDirect error code, with one message as an example. */
  failures: Record<string, { count: number; example: string }>;
  lost: number;
  duplicateResults: number;
  customersCreated: number;
  duplicateCustomers: number;
  subscribersCreated: number;
  duplicateSubscribers: number;
  /** When Webex admitted its last call, and how many results AppDirect held by then: results that wait for all the work show here. */
  lastWebexCallMs: number;
  resultsByLastWebexCall: number;
  /** From a notification's acknowledgement to its result at AppDirect: how long a customer of the backlog waits. */
  resultWait: { p50Ms: number; p90Ms: number; maxMs: number };
  progress: ProgressSample[];
  connector: UsageSummary;
}

/**
 * Hands the connector `orders` orders across `companies` companies at once, against a Webex that admits
 * `ratePerSecond` calls a second and answers 429 with Retry-After above that, and times the whole
 * backlog until AppDirect holds every result.
 */
export async function runBacklog(options: BacklogOptions, say: (line: string) => void): Promise<BacklogReport> {
  const stack = await startStack({
    webex: { ...BACKLOG_SIM, rateLimitPerSecond: options.ratePerSecond },
    env: { ...BACKLOG_SETTINGS, JOB_CONCURRENCY: String(options.concurrency) },
  });
  try {
    const orders = planOrders(stack.appDirect, options.orders, options.companies);
    const usage = await sampleUsage(stack.receiver);
    // Wall-clock time, because the simulators stamp calls and results with Date.now().
    const startedAt = Date.now();
    const acknowledgedAt = await notifyAll(stack, orders);
    const notifiedMs = Date.now() - startedAt;
    await untilAllResults(stack, orders, say);
    const connector = await usage.stop();
    const totalMs = latest(startedAt, stack.appDirect.results.map((r) => r.at)) - startedAt;
    const progress = progressOf(stack, startedAt, totalMs, BACKLOG_SIM.latencyMs);
    const saturatedSeconds = progress.filter((s) => s.admittedPerSecond >= options.ratePerSecond).length;
    return { ...options, notifiedMs, totalMs, ...outcomeOf(stack, orders, options.ratePerSecond), ...webexTail(stack, startedAt, BACKLOG_SIM.latencyMs), resultWait: resultWaitOf(stack, acknowledgedAt), saturatedSeconds, progress, connector };
  } finally {
    await stack.close();
  }
}

/** Notifies every order and returns when each was acknowledged (wall clock, by token). */
async function notifyAll(stack: Stack, orders: PlannedOrder[]): Promise<Map<string, number>> {
  const acknowledgedAt = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < orders.length) {
      const order = orders[next++]!;
      const answer = await stack.appDirect.notify(stack.receiver.url, order.token, { eventType: 'create' });
      if (answer.status !== 202 && answer.status !== 200) throw new Error(`notification ${order.token} answered ${answer.status}`);
      acknowledgedAt.set(order.token, Date.now());
    }
  };
  await Promise.all(Array.from({ length: NOTIFY_PARALLEL }, worker));
  return acknowledgedAt;
}

/**
 * Resolves when AppDirect holds a result for every order, or when the connector has been idle for
 * STALL_MS: no new result and no Webex call. (Results alone are no sign of life: the connector may
 * deliver none until it has done all the work.)
 */
async function untilAllResults(stack: Stack, orders: PlannedOrder[], say: (line: string) => void): Promise<void> {
  const done = new Set<string>();
  let seen = 0;
  let callsSeen = stack.webex.calls.length;
  let lastActivityAt = performance.now();
  let lastReportAt = performance.now();
  while (done.size < orders.length && performance.now() - lastActivityAt < STALL_MS) {
    await sleep(200);
    const before = done.size;
    for (; seen < stack.appDirect.results.length; seen++) done.add(stack.appDirect.results[seen]!.token);
    if (done.size > before || stack.webex.calls.length > callsSeen) lastActivityAt = performance.now();
    callsSeen = stack.webex.calls.length;
    if (performance.now() - lastReportAt >= 15_000) {
      lastReportAt = performance.now();
      say(`    ${done.size} of ${orders.length} results at AppDirect, ${stack.webex.calls.length} Webex calls so far`);
    }
  }
}
