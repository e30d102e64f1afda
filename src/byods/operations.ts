import { randomUUID } from 'node:crypto';
import type { DataSource, DataSourceConfiguration, DataSourcesApi, DataSourceUpdate } from '../webex/dataSources';
import { WebexApiError } from '../webex/errors';
import { audienceOf, subjectOf, withoutToken } from './dataSourceView';
import type { OperationType, RecordWriter } from './records';
import { DEFAULT_TOKEN_LIFETIME_MINUTES } from './validation';

/**
 * The changes byods makes, each leaving a record of what was sent and what came back,
 * whether it worked or not. Shared by the commands, the menu and the scheduled renewal.
 */

export interface OperationResult {
  dataSource: DataSource;
  recordPath?: string;
}

/** A change that did not happen; `cause` says why, `recordPath` where the failure was written down. */
export class OperationFailed extends Error {
  readonly name = 'OperationFailed';
  constructor(
    readonly operation: OperationType,
    readonly cause: unknown,
    readonly recordPath?: string,
  ) {
    super(`${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export function registerDataSource(api: DataSourcesApi, records: RecordWriter | undefined, configuration: DataSourceConfiguration): Promise<OperationResult> {
  return recorded(records, 'registration', undefined, () => configuration, () => api.create(configuration));
}

export function updateDataSource(api: DataSourcesApi, records: RecordWriter | undefined, id: string, update: DataSourceUpdate): Promise<OperationResult> {
  return recorded(records, 'update', id, () => update, () => api.update(id, update));
}

/**
 * Reads the data source afresh and applies `change` to it, so values nobody meant to touch are
 * sent back exactly as Webex has them (and a data source deleted meanwhile fails here, on record).
 * `requested` is what the record shows as configuration when the failure came before anything was sent.
 */
export function changeDataSource(
  api: DataSourcesApi,
  records: RecordWriter | undefined,
  operation: 'update' | 'extend',
  id: string,
  change: (current: DataSourceUpdate) => DataSourceUpdate,
  requested: unknown,
): Promise<OperationResult> {
  let sent: DataSourceUpdate | undefined;
  return recorded(records, operation, id, () => sent ?? requested, async () => {
    sent = change(currentSettings(await api.get(id)));
    return api.update(id, sent);
  });
}

/** A new token: a fresh nonce and the chosen lifetime, everything else as it is. */
export function extendDataSource(api: DataSourcesApi, records: RecordWriter | undefined, id: string, lifetimeMinutes: number): Promise<OperationResult> {
  return changeDataSource(api, records, 'extend', id, (current) => ({ ...current, nonce: randomUUID(), tokenLifetimeMinutes: lifetimeMinutes }), {
    tokenLifetimeMinutes: lifetimeMinutes,
  });
}

/**
 * Deletes a data source read just before (`current`), so the record keeps what was deleted: the
 * owner can register it again from the record if it was a mistake.
 */
export async function deleteDataSource(api: DataSourcesApi, records: RecordWriter | undefined, current: DataSource): Promise<OperationResult> {
  return recorded(
    records,
    'delete',
    current.id,
    () => ({ dataSourceId: current.id }),
    async () => {
      await api.delete(current.id);
      return current;
    },
    (deleted) => ({ status: 204, deleted: withoutToken(deleted) }),
  );
}

/** The settings a data source has now, in the shape an update sends them back. */
export function currentSettings(source: DataSource): DataSourceUpdate {
  const { schemaId, url } = source;
  if (!schemaId || !url) throw new Error(`Webex did not return the ${schemaId ? 'url' : 'schemaId'} of data source ${source.id}`);
  const disabled = source.status === 'disabled';
  return {
    schemaId,
    url,
    audience: audienceOf(source) ?? '',
    subject: subjectOf(source) ?? '',
    nonce: source.nonce ?? '',
    tokenLifetimeMinutes: source.tokenLifetimeMinutes ?? DEFAULT_TOKEN_LIFETIME_MINUTES,
    status: disabled ? 'disabled' : 'active',
    ...(disabled ? { errorMessage: source.errorMessage ?? '' } : {}),
  };
}

async function recorded(
  records: RecordWriter | undefined,
  operation: OperationType,
  knownId: string | undefined,
  configuration: () => unknown,
  call: () => Promise<DataSource>,
  answerOf: (dataSource: DataSource) => unknown = withoutToken,
): Promise<OperationResult> {
  let dataSource: DataSource;
  try {
    dataSource = await call();
  } catch (err) {
    const recordPath = records?.writeOperation({ operation, dataSourceId: knownId, configuration: configuration(), apiResponse: failureDetails(err), success: false });
    throw new OperationFailed(operation, err, recordPath);
  }
  const recordPath = records?.writeOperation({ operation, dataSourceId: dataSource.id, configuration: configuration(), apiResponse: answerOf(dataSource), success: true });
  return { dataSource, recordPath };
}

function failureDetails(err: unknown): Record<string, unknown> {
  if (err instanceof WebexApiError) {
    return { error: err.message, status: err.status ?? null, webex_message: err.details.webexMessage ?? null, tracking_id: err.trackingId ?? null };
  }
  return { error: err instanceof Error ? err.message : String(err) };
}
