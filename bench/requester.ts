import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadResult } from './loadPlan';

export type Tally = Pick<LoadResult, 'latenciesMs' | 'statuses' | 'errors'>;

export interface Requester {
  /** Sends one GET and resolves when it is answered or fails; its latency counts from `since` (a performance.now() moment). */
  send(url: string, since: number): Promise<void>;
  /** What was sent since the last call, which starts a new tally on the same, warm, connections. */
  takeTally(): Tally;
  close(): void;
}

/**
 * One keep-alive connection pool and the tally of everything sent through it. Idle connections are all kept
 * (node keeps 256 by default), so that a burst of a thousand finds its connections open, as after the warm-up.
 */
export function createRequester(maxSockets: number, authorization: string): Requester {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  let tally: Tally = { latenciesMs: [], statuses: {}, errors: {} };
  const count = (record: Record<string, number>, key: string) => (record[key] = (record[key] ?? 0) + 1);
  return {
    send: (url, since) =>
      new Promise((resolve) => {
        const into = tally;
        const req = http.get(url, { agent, headers: { Authorization: authorization } }, (res) => {
          res.resume();
          res.on('end', () => {
            into.latenciesMs.push(performance.now() - since);
            count(into.statuses, String(res.statusCode));
            resolve();
          });
        });
        req.on('error', (err: NodeJS.ErrnoException) => {
          count(into.errors, err.code ?? err.message);
          resolve();
        });
      }),
    takeTally() {
      const taken = tally;
      tally = { latenciesMs: [], statuses: {}, errors: {} };
      return taken;
    },
    close: () => agent.destroy(),
  };
}
