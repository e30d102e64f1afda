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

type SchemaMap = Record<string, { properties?: Record<string, { enum?: unknown[] }> }>;

/** Widens the listed enums in a document's component schemas; a stale entry fails loudly instead of silently. */
export function applyDeviations(document: string, schemas: SchemaMap, deviations: readonly EnumDeviation[]): void {
  for (const deviation of deviations.filter((d) => d.document === document)) {
    const target = schemas[deviation.schema]?.properties?.[deviation.property];
    if (!target?.enum) {
      throw new Error(`Documented deviation no longer matches the spec: ${deviation.schema}.${deviation.property} has no enum`);
    }
    target.enum = [...target.enum, ...deviation.extraValues.filter((v) => !target.enum?.includes(v))];
  }
}
