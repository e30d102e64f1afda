import type { RecordedCall } from '../sim/webex';
import type { BacklogReport, ProgressSample } from './backlog';
import type { PlannedOrder } from './orders';
import type { Stack } from './stack';
import { ascending, percentile } from './stats';

/** Per second of the run: orders whose result AppDirect holds, and Webex calls admitted and refused (when Webex answered them). */
export function progressOf(stack: Stack, startedAt: number, totalMs: number, webexLatencyMs: number): ProgressSample[] {
  const answered = answeredAt(webexLatencyMs);
  const seconds = Math.ceil(totalMs / 1000);
  const samples: ProgressSample[] = Array.from({ length: seconds + 1 }, (_, i) => ({ seconds: i, done: 0, admittedPerSecond: 0, refusedPerSecond: 0 }));
  const bucket = (at: number) => samples[Math.min(seconds, Math.max(0, Math.floor((at - startedAt) / 1000)))]!;
  for (const call of stack.webex.calls) {
    if (isRefused(call)) bucket(answered(call)).refusedPerSecond += 1;
    else bucket(answered(call)).admittedPerSecond += 1;
  }
  const firstResultAt = new Map<string, number>();
  for (const result of stack.appDirect.results) if (!firstResultAt.has(result.token)) firstResultAt.set(result.token, result.at);
  for (const at of firstResultAt.values()) bucket(at).done += 1;
  // `done` so far is per second; the chart wants the running total.
  samples.reduce((total, sample) => (sample.done += total), 0);
  return samples;
}

const isRefused = (call: RecordedCall) => call.status === 429;

/** A call is recorded as it arrives; the simulator waits its latency, then the rate limit decides and it answers. */
const answeredAt = (latencyMs: number) => (call: RecordedCall) => call.at + latencyMs;

/** Math.max(...times) would overflow the call stack with tens of thousands of calls. */
export const latest = (floor: number, times: readonly number[]) => times.reduce((a, b) => Math.max(a, b), floor);

/** When Webex answered its last admitted call, and how many orders had their result at AppDirect by then. */
export function webexTail(stack: Stack, startedAt: number, webexLatencyMs: number) {
  const lastAnswerAt = latest(startedAt, stack.webex.calls.filter((c) => !isRefused(c)).map(answeredAt(webexLatencyMs)));
  const tokensByThen = new Set(stack.appDirect.results.filter((r) => r.at <= lastAnswerAt).map((r) => r.token));
  return { lastWebexCallMs: lastAnswerAt - startedAt, resultsByLastWebexCall: tokensByThen.size };
}

export function resultWaitOf(stack: Stack, acknowledgedAt: ReadonlyMap<string, number>): BacklogReport['resultWait'] {
  const waits = ascending(stack.appDirect.results.flatMap((r) => (acknowledgedAt.has(r.token) ? [r.at - acknowledgedAt.get(r.token)!] : [])));
  return { p50Ms: percentile(waits, 50), p90Ms: percentile(waits, 90), maxMs: waits[waits.length - 1] ?? NaN };
}

export function outcomeOf(stack: Stack, orders: PlannedOrder[], ratePerSecond: number) {
  const calls = stack.webex.calls;
  const refusedCalls = calls.filter(isRefused).length;
  const admittedCalls = calls.length - refusedCalls;
  const resultByToken = new Map(stack.appDirect.results.map((r) => [r.token, r.body as { success?: boolean; errorCode?: string; message?: string }]));
  const failures: BacklogReport['failures'] = {};
  for (const body of resultByToken.values()) {
    if (body.success) continue;
    const code = body.errorCode ?? 'unknown';
    failures[code] = { count: (failures[code]?.count ?? 0) + 1, example: failures[code]?.example ?? body.message ?? '' };
  }
  const created = (path: string, key: 'externalId' | 'email') =>
    calls.filter((c) => c.method === 'POST' && c.path === path && c.status >= 200 && c.status < 300).map((c) => String((c.requestBody as Record<string, unknown>)[key]));
  const customers = created('/wholesale/customers', 'externalId');
  const subscribers = created('/wholesale/subscribers', 'email');
  return {
    admittedCalls,
    refusedCalls,
    floorMs: (admittedCalls / ratePerSecond) * 1000,
    resultsReceived: resultByToken.size,
    succeeded: [...resultByToken.values()].filter((b) => b.success).length,
    failures,
    lost: orders.filter((o) => !resultByToken.has(o.token)).length,
    duplicateResults: stack.appDirect.results.length - resultByToken.size,
    customersCreated: customers.length,
    duplicateCustomers: customers.length - new Set(customers).size,
    subscribersCreated: subscribers.length,
    duplicateSubscribers: subscribers.length - new Set(subscribers).size,
  };
}
