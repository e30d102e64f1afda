import type { Request, Response } from 'express';
import { WebexHttpError } from './http';

function nonNegativeInteger(req: Request, name: 'max' | 'offset'): number | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) {
    throw new WebexHttpError(400, `Query parameter ${name} must be a non-negative integer.`);
  }
  return Number(raw);
}

/**
 * Answers `{ items }` for one page selected by `max`/`offset`, and, when items remain, a
 * `Link: <…>; rel="next"` header whose URL keeps the request's other query parameters.
 */
export function sendPage<T>(req: Request, res: Response, items: readonly T[], defaultPageSize: number): void {
  const max = nonNegativeInteger(req, 'max') ?? defaultPageSize;
  const offset = nonNegativeInteger(req, 'offset') ?? 0;
  if (max < 1) throw new WebexHttpError(400, 'Query parameter max must be at least 1.');
  if (offset + max < items.length) {
    const next = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
    next.searchParams.set('max', String(max));
    next.searchParams.set('offset', String(offset + max));
    res.setHeader('Link', `<${next.href}>; rel="next"`);
  }
  res.json({ items: items.slice(offset, offset + max) });
}

/** A list filter given once, repeated, or comma-separated (`status=a,b` or `status=a&status=b`). */
export function queryList(req: Request, name: string): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  const values = Array.isArray(raw) ? raw : [raw];
  return values.flatMap((v) => String(v).split(',')).filter((v) => v !== '');
}

/** A single-valued string filter; repeated values are a client mistake, answered 400 like other bad input. */
export function queryString(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || typeof raw === 'string') return raw;
  throw new WebexHttpError(400, `Query parameter ${name} must be given once.`);
}
