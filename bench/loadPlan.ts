import { fork } from 'node:child_process';
import path from 'node:path';

/**
 * How requests arrive. Open loop (`even`, `bursty`): each request has its scheduled moment whatever the answers
 * to earlier ones are doing. `even` spaces them 1/rate apart; `bursty` releases each second's requests all at the
 * start of that second, as autocannon's rate limit does. Closed loop: `connections` clients each send the next
 * request as soon as their previous one is answered: the rate the target can sustain.
 */
export type Arrivals = { shape: 'even' | 'bursty'; ratePerSecond: number } | { shape: 'closed loop'; connections: number };

export interface LoadPlan {
  /** Sent first, the same way, and left out of the figures, so that the JIT, the journal and the connections are warm. */
  warmupUrls: string[];
  warmupSeconds: number;
  /** One notification URL per request, in sending order (a closed loop may not use them all). */
  urls: string[];
  authorization: string;
  arrivals: Arrivals;
  /** How long the load lasts: an open loop is given rate × seconds URLs, a closed loop stops sending after it. */
  seconds: number;
  /** Open connections at most; beyond that requests queue in the load process (and the wait counts). */
  maxSockets: number;
}

export interface LoadResult {
  latenciesMs: number[];
  statuses: Record<string, number>;
  errors: Record<string, number>;
  /** How far behind its schedule the load process itself sent a request: it must stay small for the figures to hold. */
  maxSendLagMs: number;
  /** From the first request to the last answer. */
  elapsedMs: number;
  /** Closed loop only: the plan's URLs ran out before its time did, so the run was shorter. */
  ranOut: boolean;
}

/** What the load process tells the benchmark: the measured part starts now; then, what it measured. */
export type LoadMessage = { kind: 'measuring' } | { kind: 'result'; result: LoadResult };

/**
 * Runs one plan in a separate load process, so that sending costs the measured target nothing in its own event
 * loop. `onMeasuring` is called when the warm-up is over and the measured part begins.
 */
export function runLoad(plan: LoadPlan, onMeasuring: () => void): Promise<LoadResult> {
  const child = fork(path.join(__dirname, 'loadGenerator.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.on('message', (message: LoadMessage) => (message.kind === 'measuring' ? onMeasuring() : resolve(message.result)));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load process exited with code ${code}`));
    });
    child.send(plan);
  });
}
