import { fork } from 'node:child_process';
import path from 'node:path';

export interface LoadPlan {
  /** One notification URL per request, in sending order. */
  urls: string[];
  authorization: string;
  ratePerSecond: number;
  /** Open connections at most; beyond that requests queue in the load process (and the wait counts). */
  maxSockets: number;
}

export interface LoadResult {
  latenciesMs: number[];
  statuses: Record<string, number>;
  errors: Record<string, number>;
  /** How far behind its schedule the load process itself sent a request: it must stay small for the figures to hold. */
  maxSendLagMs: number;
  elapsedMs: number;
}

/** Runs one plan in a separate load process, so that sending costs the measured connector nothing in its own event loop. */
export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = fork(path.join(__dirname, 'loadGenerator.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (result) => resolve(result as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load process exited with code ${code}`));
    });
    child.send(plan);
  });
}
