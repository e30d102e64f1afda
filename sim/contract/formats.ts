import type { Format } from 'ajv';

/** Formats the checker can verify; ajv-formats is not a dependency and these few are all the specs need checked. */
const CHECKED_FORMATS: Record<string, Format> = {
  int32: { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: 'number', validate: (n: number) => Number.isInteger(n) },
  'date-time': (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(s) && !Number.isNaN(Date.parse(s)),
  uri: (s: string) => URL.canParse(s),
};

function collectFormats(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) node.forEach((item) => collectFormats(item, found));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'format' && typeof value === 'string') found.add(value);
      else collectFormats(value, found);
    }
  }
}

/**
 * Ajv rejects unknown formats; OpenAPI uses `format` also as a plain annotation (`password`, vendor
 * values), so every format in the documents that is not checked above is registered as "accept anything".
 */
export function formatsFor(documents: readonly unknown[]): Record<string, Format> {
  const found = new Set<string>();
  documents.forEach((doc) => collectFormats(doc, found));
  const formats: Record<string, Format> = {};
  for (const name of found) formats[name] = CHECKED_FORMATS[name] ?? true;
  return formats;
}
