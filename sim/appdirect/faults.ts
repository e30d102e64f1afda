/** Failures the simulator can be told to produce; each applies `times` times (unlimited when omitted), then disarms. */
export interface EventFault {
  status?: number;
  /** answer 200 with a body that is not valid JSON */
  malformed?: true;
  /** answer 200 with exactly this text as the JSON body (a huge or deeply nested one, say) */
  body?: string;
  /** answer 200 with a JSON body that never ends, until the client hangs up */
  endless?: true;
  times?: number;
  /** wait this long before answering (to make a client time out) */
  delayMs?: number;
}
export interface ResultFault {
  status: number;
  times?: number;
  retryAfterSeconds?: number;
}
export interface TokenFault {
  status: number;
  times?: number;
}

export interface FaultControls {
  event(token: string | '*', fault: EventFault): void;
  result(fault: ResultFault): void;
  tokenEndpoint(fault: TokenFault): void;
  clear(): void;
}

type AnyFault = EventFault | ResultFault | TokenFault;

export function createFaults() {
  const armed = new Map<string, { fault: AnyFault; remaining: number }>();
  const arm = (key: string, fault: AnyFault) => armed.set(key, { fault, remaining: fault.times ?? Infinity });

  function take<T extends AnyFault>(key: string): T | undefined {
    const entry = armed.get(key);
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) armed.delete(key);
    return entry.fault as T;
  }

  const controls: FaultControls = {
    event: (token, fault) => arm(`event:${token}`, fault),
    result: (fault) => arm('result', fault),
    tokenEndpoint: (fault) => arm('token', fault),
    clear: () => armed.clear(),
  };

  return {
    controls,
    // A fault for this very token wins over one for every token.
    takeEvent: (token: string) => take<EventFault>(`event:${token}`) ?? take<EventFault>('event:*'),
    takeResult: () => take<ResultFault>('result'),
    takeToken: () => take<TokenFault>('token'),
  };
}

export type Faults = ReturnType<typeof createFaults>;
