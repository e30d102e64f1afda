import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadPlan, LoadResult } from './loadPlan';

/**
 * The load process: sends each URL of the plan at its own scheduled moment (evenly spaced, open loop),
 * whatever the answers to earlier ones are doing, and measures each latency from that scheduled moment.
 * A connector that stalls is therefore charged for the notifications that queue behind the stall,
 * which a closed-loop client (waiting for one answer before the next request) would hide.
 */
function run(plan: LoadPlan): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.maxSockets });
  const intervalMs = 1000 / plan.ratePerSecond;
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let maxSendLagMs = 0;
  let settled = 0;
  const start = performance.now() + 20;
  const scheduledAt = (i: number) => start + i * intervalMs;

  return new Promise((resolve) => {
    const finishOne = () => {
      settled += 1;
      if (settled < plan.urls.length) return;
      agent.destroy();
      resolve({ latenciesMs, statuses, errors, maxSendLagMs, elapsedMs: performance.now() - start });
    };
    const send = (i: number) => {
      const due = scheduledAt(i);
      maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
      const req = http.get(plan.urls[i]!, { agent, headers: { Authorization: plan.authorization } }, (res) => {
        res.resume();
        res.on('end', () => {
          latenciesMs.push(performance.now() - due);
          statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
          finishOne();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        errors[err.code ?? err.message] = (errors[err.code ?? err.message] ?? 0) + 1;
        finishOne();
      });
    };
    let next = 0;
    // Timers fire late by a millisecond or more; each wake-up sends everything that is due by then.
    const pump = () => {
      const now = performance.now();
      while (next < plan.urls.length && scheduledAt(next) <= now) send(next++);
      if (next < plan.urls.length) setTimeout(pump, Math.max(0, scheduledAt(next) - performance.now()));
    };
    setTimeout(pump, Math.max(0, start - performance.now()));
  });
}

process.once('message', (plan: LoadPlan) => {
  void run(plan).then((result) => process.send!(result, () => process.disconnect()));
});
