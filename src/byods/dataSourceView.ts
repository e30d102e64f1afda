import type { DataSource, DataSourceSchema } from '../webex/dataSources';
import { decodeClaims, JwsClaims } from './jwt';
import { formatTable, formatTimeLeft, truncate } from './format';

/** When the token stops working: Webex's tokenExpiryTime, else the `exp` claim of the JWS token. */
export function tokenExpiresAt(source: DataSource): Date | undefined {
  if (source.tokenExpiryTime) {
    const parsed = new Date(source.tokenExpiryTime);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  const exp = decodeClaims(source.jwsToken)?.exp;
  return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
}

/** Audience and subject, falling back to the token's claims when the list answer leaves them out. */
export function audienceOf(source: DataSource): string | undefined {
  return source.audience ?? claimText(decodeClaims(source.jwsToken), 'aud');
}

export function subjectOf(source: DataSource): string | undefined {
  return source.subject ?? claimText(decodeClaims(source.jwsToken), 'sub');
}

function claimText(claims: JwsClaims | undefined, name: string): string | undefined {
  const value = claims?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** "webService (78efc775...)" — the schema as a person recognises it. */
export function schemaLabel(schemaId: string | undefined, schemas: DataSourceSchema[]): string {
  if (!schemaId) return '(none)';
  const schema = schemas.find((candidate) => candidate.id === schemaId);
  return `${schema?.serviceType ?? 'Unknown schema'} (${schemaId.slice(0, 8)}...)`;
}

export function dataSourcesTable(sources: DataSource[], now: Date): string {
  if (sources.length === 0) return 'No data sources are registered for this service app.';
  const rows = sources.map((source, index) => [
    String(index + 1),
    source.id,
    source.status ?? '-',
    audienceOf(source) ?? '-',
    truncate(source.url ?? '-', 40),
    formatTimeLeft(tokenExpiresAt(source), now),
  ]);
  return formatTable(['#', 'ID', 'Status', 'Audience', 'URL', 'Token left'], rows);
}

/**
 * A data source as byods prints or records it: the JWS token is a credential the data-source
 * endpoint accepts from Webex, so it is replaced by its (unverified) claims.
 */
export function withoutToken(source: DataSource): Record<string, unknown> {
  const { jwsToken, ...rest } = source;
  return jwsToken ? { ...rest, jwsToken: '[redacted]', jwsClaims: decodeClaims(jwsToken) } : rest;
}
