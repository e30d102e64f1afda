export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [headers, headers.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n');
}

export const ms = (v: number): string => (Number.isNaN(v) ? '—' : v < 100 ? `${v.toFixed(1)} ms` : `${Math.round(v).toLocaleString('en')} ms`);
export const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)} s`;
export const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`;
export const percent = (share: number): string => `${Math.round(share * 100)} %`;
export const count = (n: number): string => n.toLocaleString('en');
export const verdict = (met: boolean): string => (met ? '✅ met' : '❌ not met');

/** `{ '202': 5990, '503': 10 }` → "202 ×5,990, 503 ×10"; an empty record reads "none". */
export function tally(record: Record<string, number>): string {
  const entries = Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([key, n]) => `${key} ×${count(n)}`).join(', ') : 'none';
}
