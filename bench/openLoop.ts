import { performance } from 'node:perf_hooks';
import type { Requester } from './requester';

/**
 * Sends each URL at its own scheduled moment, whatever the answers to earlier ones are doing, and measures each
 * latency from that moment. A target that stalls is therefore charged for the requests that queue behind the stall,
 * which a closed-loop client (waiting for one answer before the next request) would hide.
 */
export function openLoop(requester: Requester, urls: readonly string[], shape: 'even' | 'bursty', ratePerSecond: number): Promise<{ elapsedMs: number; maxSendLagMs: number }> {
  const start = performance.now() + 20;
  const offsetMs = shape === 'even' ? (i: number) => (i * 1000) / ratePerSecond : (i: number) => Math.floor(i / ratePerSecond) * 1000;
  const scheduledAt = (i: number) => start + offsetMs(i);
  let maxSendLagMs = 0;
  const sent: Array<Promise<void>> = [];

  return new Promise((resolve) => {
    let next = 0;
    // Timers fire late by a millisecond or more; each wake-up sends everything that is due by then.
    const pump = () => {
      const now = performance.now();
      while (next < urls.length && scheduledAt(next) <= now) {
        const due = scheduledAt(next);
        maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
        sent.push(requester.send(urls[next++]!, due));
      }
      if (next < urls.length) setTimeout(pump, Math.max(0, scheduledAt(next) - performance.now()));
      else void Promise.all(sent).then(() => resolve({ elapsedMs: performance.now() - start, maxSendLagMs }));
    };
    setTimeout(pump, Math.max(0, start - performance.now()));
  });
}
