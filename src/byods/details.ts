import type { DataSource, DataSourceSchema } from '../webex/dataSources';
import { audienceOf, schemaLabel, subjectOf, tokenExpiresAt } from './dataSourceView';
import { formatFields, formatTimeLeft, maskNonce } from './format';
import { decodeClaims } from './jwt';

/** Everything about one data source, for `byods show` and the menu's view. */
export function formatDetails(source: DataSource, schemas: DataSourceSchema[], now: Date): string {
  const expiresAt = tokenExpiresAt(source);
  const fields: Array<[string, string]> = [
    ['ID', source.id],
    ['Status', source.status ?? '-'],
    ['Audience', audienceOf(source) ?? '-'],
    ['Subject', subjectOf(source) ?? '-'],
    ['Schema', schemaLabel(source.schemaId, schemas)],
    ['URL', source.url ?? '-'],
    ['Token lifetime', source.tokenLifetimeMinutes !== undefined ? `${source.tokenLifetimeMinutes} minutes` : '-'],
    ['Token expires', expiresAt ? `${expiresAt.toISOString()} (${formatTimeLeft(expiresAt, now)})` : 'unknown'],
    ['Nonce', maskNonce(source.nonce)],
    ['Created', source.createdAt ?? '-'],
    ['Updated', source.updatedAt ?? '-'],
  ];
  if (source.errorMessage) fields.push(['Error message', source.errorMessage]);
  return `${formatFields(fields)}\n${formatClaims(source.jwsToken)}`;
}

/** The claims as Webex wrote them, decoded without verifying the signature (say so on screen). */
function formatClaims(jwsToken: string | undefined): string {
  const claims = decodeClaims(jwsToken);
  if (!claims) return `  Token claims: ${jwsToken ? '(token could not be decoded)' : '(no token)'}`;
  const timeClaim = (value: unknown) => (typeof value === 'number' ? `${value} (${new Date(value * 1000).toISOString()})` : text(value));
  const fields: Array<[string, string]> = [
    ['aud', text(claims.aud)],
    ['sub', text(claims.sub)],
    ['iss', text(claims.iss)],
    ['exp', timeClaim(claims.exp)],
    ['iat', timeClaim(claims.iat)],
  ];
  return `  Token claims (not verified):\n${formatFields(fields, '    ')}`;
}

function text(value: unknown): string {
  return value === undefined ? '-' : String(value);
}
