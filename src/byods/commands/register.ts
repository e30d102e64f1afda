import { randomUUID } from 'node:crypto';
import type { DataSourceSchema } from '../../webex/dataSources';
import type { DataSourceFlags } from '../args';
import { ExplainedError } from '../failures';
import { registerDataSource } from '../operations';
import { DEFAULT_AUDIENCE, DEFAULT_SUBJECT, DEFAULT_TOKEN_LIFETIME_MINUTES } from '../validation';
import { CommandContext, ExitStatus } from './context';
import { printOperationResult } from './outcome';

export async function registerCommand(ctx: CommandContext, flags: DataSourceFlags & { url: string }): Promise<ExitStatus> {
  const schemaId = flags.schemaId ?? defaultSchemaId(await ctx.api.listSchemas());
  const result = await registerDataSource(ctx.api, ctx.records, {
    schemaId,
    url: flags.url,
    audience: flags.audience ?? DEFAULT_AUDIENCE,
    subject: flags.subject ?? DEFAULT_SUBJECT,
    nonce: flags.nonce ?? randomUUID(),
    tokenLifetimeMinutes: flags.tokenLifetimeMinutes ?? DEFAULT_TOKEN_LIFETIME_MINUTES,
  });
  printOperationResult(ctx, 'Registered', result);
  return 0;
}

/** The first schema Webex lists, as the script offered it. */
export function defaultSchemaId(schemas: DataSourceSchema[]): string {
  const first = schemas[0];
  if (!first) throw new ExplainedError('Webex lists no data source schemas, so there is no default: give --schema-id.');
  return first.id;
}
