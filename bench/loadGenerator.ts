import { closedLoop } from './closedLoop';
import type { LoadMessage, LoadPlan, LoadResult } from './loadPlan';
import { openLoop } from './openLoop';
import { createRequester, Requester } from './requester';

/** One phase of the plan (the warm-up or the measured part), with the plan's arrivals. */
async function phase(requester: Requester, plan: LoadPlan, urls: readonly string[], seconds: number): Promise<Omit<LoadResult, 'latenciesMs' | 'statuses' | 'errors'>> {
  const { arrivals } = plan;
  if (arrivals.shape === 'closed loop') return { maxSendLagMs: 0, ...(await closedLoop(requester, urls, arrivals.connections, seconds)) };
  return { ranOut: false, ...(await openLoop(requester, urls, arrivals.shape, arrivals.ratePerSecond)) };
}

/**
 * The load process: receives one plan from the benchmark, warms up, says when the measured part starts, runs
 * it on the same connections, and sends back what it measured.
 */
async function run(plan: LoadPlan): Promise<void> {
  const requester = createRequester(plan.maxSockets, plan.authorization);
  const send = (message: LoadMessage) => new Promise<void>((resolve) => process.send!(message, () => resolve()));
  if (plan.warmupUrls.length) await phase(requester, plan, plan.warmupUrls, plan.warmupSeconds);
  requester.takeTally();
  await send({ kind: 'measuring' });
  const timing = await phase(requester, plan, plan.urls, plan.seconds);
  const result: LoadResult = { ...requester.takeTally(), ...timing };
  requester.close();
  await send({ kind: 'result', result });
  process.disconnect();
}

process.once('message', (plan: LoadPlan) => void run(plan));
