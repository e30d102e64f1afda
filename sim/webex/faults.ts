import type { RequestHandler } from 'express';
import { sendWebexError } from './http';
import { seededRandom } from './random';
import { apiPath, markInjectedFault, recordWithoutResponse } from './recording';

export type FaultStatus = 423 | 429 | 500 | 502 | 503 | 504;

interface FaultMatch {
  method?: string;
  /** Compared with the path below `/v1`, e.g. '/wholesale/subscribers'. */
  pathPrefix?: string;
}

export interface QueuedFault extends FaultMatch {
  /** Required unless `reset` is set. */
  status?: FaultStatus;
  retryAfterSeconds?: number;
  /** How many matching requests get this fault; default 1. */
  times?: number;
  /** Wait before answering (or resetting). */
  delayMs?: number;
  /** Destroy the socket instead of answering: the client sees ECONNRESET / socket hang up. */
  reset?: true;
}

export interface RandomFaults extends FaultMatch {
  /** Chance in [0, 1] that a request gets one of `statuses`. */
  probability: number;
  statuses: FaultStatus[];
  retryAfterSeconds?: number;
  delayMs?: number;
  /** Chance in [0, 1], drawn before `probability`, that the socket is destroyed instead. */
  resetProbability?: number;
  /** Same seed, same sequence of requests → same faults. Default 1. */
  seed?: number;
}

/** What the fault middleware does to one request. */
type FaultDecision =
  | { kind: 'reset'; delayMs: number }
  | { kind: 'status'; status: FaultStatus; retryAfterSeconds?: number; delayMs: number };

const STATUS_MESSAGES: Record<FaultStatus, string> = {
  423: 'Locked: the resource is temporarily unavailable.',
  429: 'Too Many Requests: the request has been rate limited.',
  500: 'Internal Server Error.',
  502: 'Bad Gateway.',
  503: 'Service Unavailable: the server is overloaded.',
  504: 'Gateway Timeout.',
};

/** Webex sends Retry-After with these; the sim always does, so clients can rely on it. */
const STATUSES_WITH_RETRY_AFTER: ReadonlySet<number> = new Set([423, 429]);

function matches(match: FaultMatch, method: string, path: string): boolean {
  const prefix = match.pathPrefix?.replace(/^\/v1(?=\/)/, '');
  return (!match.method || match.method.toUpperCase() === method) && (!prefix || path.startsWith(prefix));
}

export class FaultInjector {
  private queue: Array<QueuedFault & { remaining: number }> = [];
  private random?: { spec: RandomFaults; draw: () => number };

  /** Queues a fault for the next matching request(s); queued faults are used in the order queued. */
  next(fault: QueuedFault): void {
    if (fault.status === undefined && !fault.reset) throw new Error('A queued fault needs a status or reset: true');
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('times must be a positive integer');
    this.queue.push({ ...fault, remaining: times });
  }

  /** Injects faults at random from now on (replacing an earlier rate); queued faults still go first. */
  rate(spec: RandomFaults): void {
    if (spec.statuses.length === 0 && spec.probability > 0) throw new Error('rate() needs at least one status');
    this.random = { spec, draw: seededRandom(spec.seed ?? 1) };
  }

  clear(): void {
    this.queue = [];
    this.random = undefined;
  }

  decide(method: string, path: string): FaultDecision | undefined {
    const queued = this.queue.find((f) => matches(f, method, path));
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining === 0) this.queue.splice(this.queue.indexOf(queued), 1);
      const { status, retryAfterSeconds, delayMs = 0 } = queued;
      if (queued.reset || status === undefined) return { kind: 'reset', delayMs };
      return { kind: 'status', status, retryAfterSeconds, delayMs };
    }
    return this.drawRandom(method, path);
  }

  private drawRandom(method: string, path: string): FaultDecision | undefined {
    if (!this.random || !matches(this.random.spec, method, path)) return undefined;
    const { spec, draw } = this.random;
    const delayMs = spec.delayMs ?? 0;
    // Both draws happen on every request so the sequence does not depend on earlier outcomes.
    const resetDraw = draw();
    const statusDraw = draw();
    if (resetDraw < (spec.resetProbability ?? 0)) return { kind: 'reset', delayMs };
    if (statusDraw >= spec.probability) return undefined;
    const status = spec.statuses[Math.floor((statusDraw / spec.probability) * spec.statuses.length)];
    if (status === undefined) return undefined;
    return { kind: 'status', status, retryAfterSeconds: spec.retryAfterSeconds, delayMs };
  }
}

/** Answers (or drops) a request with the fault chosen for it; the request never reaches a route, so state is untouched. */
export function injectFaults(faults: FaultInjector): RequestHandler {
  return (req, res, next) => {
    const decision = faults.decide(req.method, apiPath(req));
    if (!decision) return next();
    markInjectedFault(res);
    setTimeout(() => {
      if (decision.kind === 'reset') {
        recordWithoutResponse(res);
        req.socket.destroy();
        return;
      }
      const { status } = decision;
      const retryAfter = decision.retryAfterSeconds ?? (STATUSES_WITH_RETRY_AFTER.has(status) ? 1 : undefined);
      if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
      sendWebexError(res, status, STATUS_MESSAGES[status]);
    }, decision.delayMs);
  };
}
