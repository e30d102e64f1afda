type Json = Record<string, unknown>;

function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAPI 3.0 `nullable: true` is JSON Schema's "or null". */
function convertNullable(schema: Json): Json {
  if (schema.nullable !== true) return schema;
  const { nullable: _dropped, ...rest } = schema;
  if (typeof rest.type === 'string') {
    const withNull: Json = { ...rest, type: [rest.type, 'null'] };
    if (Array.isArray(rest.enum)) withNull.enum = [...rest.enum, null];
    return withNull;
  }
  return { anyOf: [rest, { type: 'null' }] };
}

/** OpenAPI 3.0 writes exclusive bounds as booleans next to minimum/maximum; JSON Schema wants the number. */
function convertExclusiveBound(schema: Json, exclusive: 'exclusiveMinimum' | 'exclusiveMaximum', bound: 'minimum' | 'maximum'): Json {
  if (typeof schema[exclusive] !== 'boolean') return schema;
  const { [exclusive]: isExclusive, ...rest } = schema;
  if (!isExclusive || typeof rest[bound] !== 'number') return rest;
  const { [bound]: limit, ...withoutBound } = rest;
  return { ...withoutBound, [exclusive]: limit };
}

/**
 * Turns an OpenAPI 3.0 schema into JSON Schema that ajv understands: local `#/...` references point into
 * the document registered under `documentId`, and the 3.0-only spellings above are rewritten.
 */
export function toJsonSchema(node: unknown, documentId: string): unknown {
  if (Array.isArray(node)) return node.map((item) => toJsonSchema(item, documentId));
  if (!isJsonObject(node)) return node;
  let converted: Json = {};
  for (const [key, value] of Object.entries(node)) {
    converted[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${documentId}${value}` : toJsonSchema(value, documentId);
  }
  converted = convertExclusiveBound(converted, 'exclusiveMinimum', 'minimum');
  converted = convertExclusiveBound(converted, 'exclusiveMaximum', 'maximum');
  return convertNullable(converted);
}

export { isJsonObject, type Json };
