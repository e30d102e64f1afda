import type { z } from 'zod';
import { WebexHttpError } from './http';

/** Validates a request body; every problem becomes one `errors[]` entry of a 400 answer. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    description: `${issue.path.length > 0 ? issue.path.join('.') : 'body'}: ${issue.message}`,
  }));
  throw new WebexHttpError(400, 'The request body is invalid.', details);
}
