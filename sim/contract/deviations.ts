import { isJsonObject, type Json } from './schemaConversion';

/** One enum of one component schema that the live API is documented to extend. */
export interface EnumDeviation {
  document: 'webex-wholesale.json' | 'webex-admin.json';
  schema: string;
  property: string;
  extraValues: readonly string[];
  /** Where the wider behaviour is documented. */
  source: string;
}

/**
 * THE allowlist: the only places where the contract check accepts more than the OpenAPI files say.
 * Source: the shared docs/webex.md, which lists Subscriber `status` as `provisioning`, `provisioned`,
 * `pending_user_migration`, `error`, … while the spec enum stops at `provisioned`/`pending_user_migration`.
 * Nothing else is relaxed; add an entry only with a documented source.
 */
export const DOCUMENTED_DEVIATIONS: readonly EnumDeviation[] = [
  {
    document: 'webex-wholesale.json',
    schema: 'Subscriber',
    property: 'status',
    extraValues: ['provisioning', 'error'],
    source: 'docs/webex.md (Wholesale provisioning: Subscriber status)',
  },
];

/** Widens the listed enums in a document's component schemas; a stale entry fails loudly instead of silently. */
export function applyDeviations(document: string, schemas: Json, deviations: readonly EnumDeviation[]): void {
  for (const deviation of deviations.filter((d) => d.document === document)) {
    const schema = schemas[deviation.schema];
    const properties = isJsonObject(schema) ? schema.properties : undefined;
    const target = isJsonObject(properties) ? properties[deviation.property] : undefined;
    if (!isJsonObject(target) || !Array.isArray(target.enum)) {
      throw new Error(`Documented deviation no longer matches the spec: ${deviation.schema}.${deviation.property} has no enum`);
    }
    const known = target.enum as unknown[];
    target.enum = [...known, ...deviation.extraValues.filter((v) => !known.includes(v))];
  }
}
