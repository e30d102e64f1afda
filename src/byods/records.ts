import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from '../webex/dataSources';
import { withoutToken } from './dataSourceView';

export type OperationType = 'registration' | 'update' | 'extend' | 'delete';

export interface OperationOutcome {
  operation: OperationType;
  /** Known for updates and extensions, and for a registration once Webex answered. */
  dataSourceId?: string;
  /** The body sent to Webex. */
  configuration: unknown;
  /** Webex's answer on success, what went wrong otherwise. */
  apiResponse: unknown;
  success: boolean;
}

/** Keys whose values are credentials wherever they appear; a record must never hold one. */
const SECRET_KEYS = new Set(['jwsToken', 'access_token', 'refresh_token', 'accessToken', 'refreshToken', 'personalAccessToken', 'clientSecret', 'authorization', 'token']);

/**
 * Writes the JSON records the Python script wrote, with the same names and keys, so existing
 * habits and tooling keep working. They hold API answers, so only their owner may read them (0600).
 */
export class RecordWriter {
  constructor(
    private readonly dir: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  writeOperation(outcome: OperationOutcome): string {
    const now = this.clock();
    const name = outcome.success
      ? `data_source_${outcome.operation}_${safeForFileName(outcome.dataSourceId ?? 'unknown')}_${fileTimestamp(now)}`
      : `data_source_${outcome.operation}_failed_${fileTimestamp(now)}`;
    return this.write(name, {
      operation_timestamp: now.toISOString(),
      operation_type: outcome.operation,
      ...(outcome.dataSourceId ? { data_source_id: outcome.dataSourceId } : {}),
      configuration: outcome.configuration,
      api_response: outcome.apiResponse,
      success: outcome.success,
    });
  }

  writeList(sources: DataSource[]): string {
    const now = this.clock();
    return this.write(`data_sources_list_${fileTimestamp(now)}`, {
      retrieved_timestamp: now.toISOString(),
      count: sources.length,
      data_sources: sources.map(withoutToken),
    });
  }

  private write(baseName: string, content: Record<string, unknown>): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const text = `${JSON.stringify(redactSecrets(content), null, 2)}\n`;
    // Two failures within the same second share a timestamp: never overwrite, number the later one.
    for (let copy = 1; ; copy++) {
      const path = join(this.dir, `${baseName}${copy === 1 ? '' : `_${copy}`}.json`);
      try {
        writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
        return path;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  }
}

/** YYYYmmdd_HHMMSS in local time, as the script named its files. */
export function fileTimestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}_${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** IDs come from the API: keep them from steering a file name out of the records directory. */
function safeForFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, SECRET_KEYS.has(key) && typeof inner === 'string' ? '[redacted]' : redactSecrets(inner)]),
  );
}
