import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { Logger, DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object. Secrets must never reach a log line,
 * so anything that could carry a credential is listed here rather than trusted to each call site.
 */
const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'config.headers.Authorization',
  'password',
  '*.password',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  '*.client_secret',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'secret',
  '*.secret',
];

export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; defaults to stdout. Tests pass a stream to read every line back. */
  destination?: DestinationStream;
}

/**
 * Fields that every log line written inside `withLogContext` carries, however deep the call that logs
 * (the Webex HTTP layer, say, knows nothing of events but its retry warnings still name the event token).
 */
const logContext = new AsyncLocalStorage<Record<string, unknown>>();

export function withLogContext<T>(fields: Record<string, unknown>, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...fields }, fn);
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      // A copy for each line: pino merges the line's own fields into what mixin returns, and those must not
      // stay behind in the shared context for the next line.
      mixin: () => ({ ...logContext.getStore() }),
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}
