export interface IndexedPath<T> {
  /** The path as written in the spec, e.g. `/wholesale/customers/{customerId}`. */
  template: string;
  segments: string[];
  methods: Map<string, T>;
}

/**
 * Reduces what a recorder or client may hold (absolute URL, `/v1/...`, query string, trailing slash) to
 * the form the spec paths use, so `/v1/dataSources/?x=1` and `/dataSources/` both find `/dataSources/`.
 */
export function normalizeApiPath(path: string): string {
  const pathname = path.replace(/^https?:\/\/[^/]+/i, '').split(/[?#]/)[0] ?? '';
  const withoutBase = pathname.replace(/^\/v1(?=\/|$)/, '');
  return withoutBase.length > 1 ? withoutBase.replace(/\/+$/, '') : withoutBase;
}

/** Spec paths by shape; a literal segment beats a `{parameter}` (`/customers/validate` over `/customers/{id}`). */
export class PathIndex<T> {
  private readonly entries = new Map<string, IndexedPath<T>>();

  add(template: string, method: string, operation: T): void {
    const key = normalizeApiPath(template);
    const entry = this.entries.get(key) ?? { template, segments: key.split('/'), methods: new Map<string, T>() };
    // The admin spec has both `/dataSources` and `/dataSources/`; they are one resource.
    if (!entry.methods.has(method)) entry.methods.set(method, operation);
    this.entries.set(key, entry);
  }

  find(path: string): IndexedPath<T> | undefined {
    const segments = normalizeApiPath(path).split('/');
    let best: { entry: IndexedPath<T>; literals: number } | undefined;
    for (const entry of this.entries.values()) {
      if (entry.segments.length !== segments.length) continue;
      let literals = 0;
      const fits = entry.segments.every((part, i) => {
        if (/^\{[^}]+\}$/.test(part)) return (segments[i] ?? '') !== '';
        literals += 1;
        return part === segments[i];
      });
      if (fits && (!best || literals > best.literals)) best = { entry, literals };
    }
    return best?.entry;
  }
}
