import type { AppDirectSim } from '../sim/appdirect';
import type { WebexSim } from '../sim/webex';

export interface Line {
  at: number;
  who: string;
  text: string;
}

const AD_LABEL: Record<string, string> = {
  notify: 'AppDirect → connector',
  'notify-answer': 'connector → AppDirect',
  token: 'AppDirect token endpoint',
  'event-fetch': 'connector ← AppDirect',
  result: 'connector → AppDirect',
};

/** What AppDirect asked, what Webex was told and what AppDirect was answered, in time order, since `from`. */
export function linesSince(from: number, appDirect: AppDirectSim, webex: WebexSim): Line[] {
  const ad = appDirect.timeline.filter((e) => e.at >= from).map((e) => ({ at: e.at, who: AD_LABEL[e.kind] ?? e.kind, text: e.detail }));
  const wx = webex.calls
    .filter((c) => c.at >= from)
    .map((c) => ({ at: c.at, who: 'connector → Webex', text: `${c.method} ${c.path}${queryText(c.query)} → ${c.status || 'connection reset'}${bodyHint(c.requestBody)}` }));
  return [...ad, ...wx].sort((a, b) => a.at - b.at);
}

function queryText(query: Record<string, string | string[]>): string {
  const entries = Object.entries(query);
  return entries.length ? `?${entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`).join('&')}` : '';
}

function bodyHint(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const b = body as { packages?: string[]; email?: string; extensions?: string[]; provisioningParameters?: { extension?: string } };
  const parts = [b.email, b.packages && `packages ${b.packages.join(',')}`, b.provisioningParameters?.extension && `ext ${b.provisioningParameters.extension}`, b.extensions && `${b.extensions.length} candidate extensions`];
  const text = parts.filter(Boolean).join(', ');
  return text ? `  (${text})` : '';
}

export function printLines(lines: Line[], start: number, write: (s: string) => void): void {
  for (const line of lines) {
    const seconds = ((line.at - start) / 1000).toFixed(2).padStart(6);
    write(`  +${seconds}s  ${line.who.padEnd(24)} ${line.text}\n`);
  }
}
