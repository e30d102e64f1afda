/** Plain-text formatting for people; machine output is JSON and never goes through here. */

/** "5h 12m", "12m", "40s" or "EXPIRED": how long until `expiresAt`, coarse enough to read at a glance. */
export function formatTimeLeft(expiresAt: Date | undefined, now: Date): string {
  if (!expiresAt) return 'unknown';
  const seconds = Math.floor((expiresAt.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return 'EXPIRED';
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}

/**
 * Shows enough of a nonce to tell two apart on screen ("first8...last8") without
 * putting the whole value in a terminal scrollback. Short values are hidden entirely.
 */
export function maskNonce(nonce: string | undefined): string {
  if (!nonce) return '(none)';
  if (nonce.length <= 16) return `${'*'.repeat(8)} (${nonce.length} characters)`;
  return `${nonce.slice(0, 8)}...${nonce.slice(-8)}`;
}

export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 3)}...`;
}

/** Left-aligned columns sized to their widest cell. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Aligned "Label:  value" lines for a details view. */
export function formatFields(fields: Array<[string, string]>, indent = '  '): string {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  return fields.map(([label, value]) => `${indent}${`${label}:`.padEnd(width)}  ${value}`).join('\n');
}
