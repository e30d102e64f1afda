import { createLogger, Logger } from '../log';

interface LogLine {
  level?: number;
  msg?: string;
  webex?: { status?: number; method?: string; path?: string };
  waitMs?: number;
  dataSourceId?: string;
  reason?: string;
}

const LEVEL_NAMES: Record<number, string> = { 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };

/**
 * The project logger (with its redaction of secrets), but printed for a person on stderr:
 * stdout stays clean for tables and --json, and a wait for a 429 reads as a sentence.
 */
export function createCliLogger(level: string, stderr: NodeJS.WritableStream): Logger {
  return createLogger({ level, destination: { write: (json: string) => stderr.write(`${humanLine(json)}\n`) } });
}

function humanLine(json: string): string {
  let line: LogLine;
  try {
    line = JSON.parse(json) as LogLine;
  } catch {
    return `byods: ${json.trimEnd()}`;
  }
  const details = [
    line.webex?.status !== undefined ? `${line.webex.method} ${line.webex.path} answered ${line.webex.status}` : undefined,
    line.waitMs !== undefined ? `waiting ${(line.waitMs / 1000).toFixed(1)}s` : undefined,
    line.dataSourceId,
    line.reason,
  ].filter(Boolean);
  return `byods: ${LEVEL_NAMES[line.level ?? 30] ?? 'log'}: ${line.msg ?? ''}${details.length ? ` (${details.join(', ')})` : ''}`;
}
