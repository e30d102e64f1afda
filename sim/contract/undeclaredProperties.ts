import { isJsonObject, type Json } from './schemaConversion';

export type RefResolver = (ref: string) => unknown;

/**
 * Lists properties of `data` that the schema does not declare. OpenAPI objects are open by default, so
 * ajv accepts them; but an undeclared field is almost always a typo or a field of another operation,
 * which real Webex ignores silently. Composed schemas (allOf/oneOf/anyOf) are not descended into:
 * their declared set is not a simple union, and guessing would report false problems.
 */
export function findUndeclaredProperties(schema: unknown, data: unknown, resolve: RefResolver, at = ''): string[] {
  let s = schema;
  for (let hops = 0; isJsonObject(s) && typeof s.$ref === 'string' && hops < 32; hops += 1) s = resolve(s.$ref);
  if (!isJsonObject(s) || s.allOf || s.oneOf || s.anyOf) return [];
  if (Array.isArray(data)) {
    return s.items === undefined ? [] : data.flatMap((item, i) => findUndeclaredProperties(s.items, item, resolve, `${at}/${i}`));
  }
  if (!isJsonObject(data) || !isJsonObject(s.properties)) return [];
  const properties = s.properties as Json;
  return Object.entries(data).flatMap(([key, value]) => {
    if (key in properties) return findUndeclaredProperties(properties[key], value, resolve, `${at}/${key}`);
    return s.additionalProperties === undefined ? [`${at}/${key} is not declared in the contract`] : [];
  });
}
