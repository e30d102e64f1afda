import type { Request, RequestHandler, Response } from 'express';

export interface RecordedCall {
  at: number;
  method: string;
  /** Path below the `/v1` base, without query string, e.g. `/wholesale/customers`. */
  path: string;
  query: Record<string, string | string[]>;
  requestBody: unknown;
  /** 0 when the sim destroyed the socket instead of answering (an injected reset). */
  status: number;
  responseBody: unknown;
  responseHeaders: Record<string, string>;
  /** Set when the request used the deprecated singular `package` field of the subscriber API. */
  deprecatedPackageField?: true;
  /** Set when the answer (or reset) was an injected fault rather than the sim's own behaviour. */
  injectedFault?: true;
}

const API_PREFIX = '/v1';

/** The request path relative to the API base, which is how clients and fault filters name endpoints. */
export function apiPath(req: Request): string {
  const pathname = req.originalUrl.split('?')[0] ?? '';
  return pathname.startsWith(`${API_PREFIX}/`) ? pathname.slice(API_PREFIX.length) : pathname;
}

interface CallNotes {
  deprecatedPackageField?: true;
  injectedFault?: true;
  /** Records the call now, for answers that never reach `res.end` (a destroyed socket). */
  recordWithoutResponse?: () => void;
}

function notesOf(res: Response): CallNotes {
  res.locals.simCallNotes ??= {};
  return res.locals.simCallNotes as CallNotes;
}

export function markDeprecatedPackageField(res: Response): void {
  notesOf(res).deprecatedPackageField = true;
}

export function markInjectedFault(res: Response): void {
  notesOf(res).injectedFault = true;
}

export function recordWithoutResponse(res: Response): void {
  notesOf(res).recordWithoutResponse?.();
}

function headerRecord(res: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return headers;
}

/**
 * Appends every answered request to `calls`. The record is written when the response is ended, before
 * any byte leaves, so a test that awaited the HTTP answer always finds its call already recorded.
 */
export function recordCalls(calls: RecordedCall[], now: () => number): RequestHandler {
  return (req, res, next) => {
    const at = now();
    let responseBody: unknown;
    let recorded = false;
    const record = (status: number) => {
      if (recorded) return;
      recorded = true;
      const { deprecatedPackageField, injectedFault } = notesOf(res);
      calls.push({
        at,
        method: req.method,
        path: apiPath(req),
        query: { ...(req.query as Record<string, string | string[]>) },
        requestBody: req.body,
        status,
        responseBody,
        responseHeaders: headerRecord(res),
        ...(deprecatedPackageField ? { deprecatedPackageField } : {}),
        ...(injectedFault ? { injectedFault } : {}),
      });
    };
    notesOf(res).recordWithoutResponse = () => record(0);

    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      responseBody = body;
      return json(body);
    };
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      record(res.statusCode);
      return end(...args);
    }) as Response['end'];
    next();
  };
}

export function countCalls(calls: readonly RecordedCall[], filter: { method?: string; pathPrefix?: string } = {}): number {
  return calls.filter(
    (c) =>
      (!filter.method || c.method === filter.method.toUpperCase()) &&
      (!filter.pathPrefix || c.path.startsWith(filter.pathPrefix)),
  ).length;
}
