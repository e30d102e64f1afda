import { randomUUID } from 'node:crypto';
import type { DataSourceUpdate } from '../../webex/dataSources';
import { UsageError } from '../args';
import type { DataSourceFlags } from '../args';
import { changeDataSource } from '../operations';
import { CommandContext, ExitStatus } from './context';
import { printOperationResult } from './outcome';

export interface UpdateRequest {
  id: string;
  flags: DataSourceFlags;
  status?: 'active' | 'disabled';
  errorMessage?: string;
}

export async function updateCommand(ctx: CommandContext, request: UpdateRequest): Promise<ExitStatus> {
  const result = await changeDataSource(ctx.api, ctx.records, 'update', request.id, (current) => applyFlags(current, request), requestedChanges(request));
  printOperationResult(ctx, 'Updated', result);
  return 0;
}

/** The current settings with what the flags change; every update needs a nonce it has not used. */
export function applyFlags(current: DataSourceUpdate, request: UpdateRequest): DataSourceUpdate {
  const { flags } = request;
  if (flags.nonce !== undefined && flags.nonce === current.nonce) throw new UsageError('--nonce must differ from the current nonce.');
  const { errorMessage: currentErrorMessage, ...rest } = current;
  const status = request.status ?? current.status;
  const errorMessage = status === 'disabled' ? (request.errorMessage ?? currentErrorMessage) : undefined;
  return {
    ...rest,
    schemaId: flags.schemaId ?? current.schemaId,
    url: flags.url ?? current.url,
    audience: flags.audience ?? current.audience,
    subject: flags.subject ?? current.subject,
    tokenLifetimeMinutes: flags.tokenLifetimeMinutes ?? current.tokenLifetimeMinutes,
    nonce: flags.nonce ?? randomUUID(),
    status,
    ...(errorMessage !== undefined ? { errorMessage } : {}),
  };
}

/** What the flags asked for, for the record of an update that failed before anything was sent. */
function requestedChanges(request: UpdateRequest): Record<string, unknown> {
  return Object.fromEntries(Object.entries({ ...request.flags, status: request.status, errorMessage: request.errorMessage }).filter(([, value]) => value !== undefined));
}
