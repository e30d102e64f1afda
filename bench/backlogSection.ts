import { BACKLOG_SETTINGS, BACKLOG_SIM, BacklogReport, NOTIFY_PARALLEL } from './backlog';
import { count, mib, percent, seconds, table, verdict } from './markdown';

/** Issue 13: the backlog finishes within 110 % of the floor, and fewer than 5 % of the connector's Webex calls are refused. */
export const BACKLOG_TARGET_RATIO = 1.1;
export const BACKLOG_429_TARGET = 0.05;

/** 429s ÷ all calls: what the connector's own pace provoked. */
export const refusedShare = (r: BacklogReport): number => r.refusedCalls / Math.max(1, r.admittedCalls + r.refusedCalls);

/** The connector's own JOB_CONCURRENCY default (src/config.ts), for comparison with the one the run needs. */
const DEFAULT_JOB_CONCURRENCY = 4;

export function backlogSection(r: BacklogReport, charts: { progress?: string; calls?: string }): string {
  const settings = Object.entries({ JOB_CONCURRENCY: String(r.concurrency), ...BACKLOG_SETTINGS }).map(([k, v]) => `\`${k}=${v}\``).join(', ');
  const failures = Object.entries(r.failures).map(([code, f]) => `${code} ×${count(f.count)} (e.g. "${f.example}")`);
  return [
    '## 3. Backlog against a rate-limited Webex',
    '',
    `${count(r.orders)} orders (meetings edition) across ${count(r.companies)} companies, notified in turn — company 1, 2, …, ${r.companies}, 1, 2, … — so the first ${count(r.companies)} are first orders of new companies and the rest orders of companies created earlier. They are handed over ${NOTIFY_PARALLEL} notifications at a time, as fast as the connector acknowledges them. Webex answers every call after ${BACKLOG_SIM.latencyMs} ms; a token bucket admits ${r.ratePerSecond} calls a second (at most one second's worth at once) and answers the others 429 with \`Retry-After: 1\` (whole seconds); a new customer provisions for ${BACKLOG_SIM.customerProvisioningMs / 1000} s, a subscriber for ${BACKLOG_SIM.subscriberProvisioningMs / 1000} s. Connector: ${settings}, the rest default.`,
    '',
    `Each job waits for one Webex call at a time, so keeping Webex at ${r.ratePerSecond} calls a second with ${BACKLOG_SIM.latencyMs} ms a call needs at least ${Math.ceil((r.ratePerSecond * BACKLOG_SIM.latencyMs) / 1000)} jobs busy, more while some sleep on Retry-After: hence \`JOB_CONCURRENCY=${r.concurrency}\`. With the default ${DEFAULT_JOB_CONCURRENCY}, the connector would make at most about ${Math.floor((DEFAULT_JOB_CONCURRENCY * 1000) / BACKLOG_SIM.latencyMs)} calls a second.`,
    '',
    'Total time runs from the first notification to the last result AppDirect receives. The floor is the Webex calls admitted divided by the allowance: the time Webex alone needs for the work that was done.',
    '',
    table(
      ['Measure', 'Target', 'Measured', ''],
      [
        ['Total time ÷ floor', `≤ ${percent(BACKLOG_TARGET_RATIO)}`, `${seconds(r.totalMs)} ÷ ${seconds(r.floorMs)} = ${percent(r.totalMs / r.floorMs)}`, verdict(r.totalMs / r.floorMs <= BACKLOG_TARGET_RATIO)],
        ['429s ÷ Webex calls', `< ${percent(BACKLOG_429_TARGET)}`, `${count(r.refusedCalls)} ÷ ${count(r.admittedCalls + r.refusedCalls)} = ${percent(refusedShare(r))}`, verdict(refusedShare(r) < BACKLOG_429_TARGET)],
      ],
    ),
    '',
    table(
      ['Webex calls admitted', '429s', 'Floor', 'Total time', 'All notified after', 'Seconds at the full allowance', 'Connector CPU', 'Machine CPU busy', 'Connector RSS median / peak'],
      [[count(r.admittedCalls), count(r.refusedCalls), seconds(r.floorMs), seconds(r.totalMs), seconds(r.notifiedMs), `${r.saturatedSeconds} of ${Math.ceil(r.totalMs / 1000)}`, percent(r.connector.cpuShare), percent(r.connector.machineBusy), `${mib(r.connector.medianRssBytes)} / ${mib(r.connector.peakRssBytes)}`]],
    ),
    '',
    table(
      ['Outcome', ''],
      [
        ['Orders with a result at AppDirect', `${count(r.resultsReceived)} of ${count(r.orders)}`],
        ['Succeeded', count(r.succeeded)],
        ['Failed', failures.length ? failures.join('; ') : '0'],
        ['Lost (no result)', count(r.lost)],
        ['Results delivered more than once', count(r.duplicateResults)],
        ['Webex customers created (duplicates)', `${count(r.customersCreated)} (${count(r.duplicateCustomers)})`],
        ['Webex subscribers created (duplicates)', `${count(r.subscribersCreated)} (${count(r.duplicateSubscribers)})`],
      ],
    ),
    '',
    `Webex answered its last admitted call ${seconds(r.lastWebexCallMs)} after the first notification; AppDirect held ${count(r.resultsByLastWebexCall)} of ${count(r.orders)} results by then. Results that arrive after Webex has finished are time the floor does not contain. From its acknowledgement to its result at AppDirect an order waited ${seconds(r.resultWait.p50Ms)} (median), ${seconds(r.resultWait.p90Ms)} (p90), ${seconds(r.resultWait.maxMs)} (max).`,
    '',
    timeOverFloor(r),
    '',
    charts.progress ? `![Backlog progress](${charts.progress})\n` : '',
    charts.calls ? `![Webex calls per second during the backlog](${charts.calls})\n` : '',
  ].join('\n');
}

/**
 * Where the time beyond the floor went, second by second until Webex's last admitted call: seconds in which
 * Webex took no call at all (nothing reached it: a stall of the connector or of the simulators' process, not the
 * pace), and the allowance left unused in the other seconds (the pace below the limit, or too little work ready),
 * less what seconds above the allowance took back (Webex's bucket refills during a lull and lets a burst through).
 */
function timeOverFloor(r: BacklogReport): string {
  const working = r.progress.filter((s) => s.seconds < Math.floor(r.lastWebexCallMs / 1000));
  const idle = working.filter((s) => s.admittedPerSecond === 0).length;
  const busy = working.filter((s) => s.admittedPerSecond > 0);
  const unused = busy.reduce((sum, s) => sum + Math.max(0, r.ratePerSecond - s.admittedPerSecond), 0);
  const burst = working.reduce((sum, s) => sum + Math.max(0, s.admittedPerSecond - r.ratePerSecond), 0);
  const asTime = (calls: number) => seconds((calls / r.ratePerSecond) * 1000);
  return `**Time over the floor** (${seconds(r.totalMs - r.floorMs)}): until Webex's last admitted call there were ${idle} whole seconds in which no call reached Webex at all — a stall of the connector's event loop or of the simulators' process, not the pace. In the other seconds the allowance left unused adds up to ${asTime(unused)} of calls (the pace below the limit after a 429, or too little work ready), of which seconds above the allowance took back ${asTime(burst)} (Webex's bucket refills during a lull and lets a burst through). The rest is the time after Webex's last call until the last result reached AppDirect.`;
}

export function failedOf(r: BacklogReport): number {
  return Object.values(r.failures).reduce((total, f) => total + f.count, 0);
}

export function duplicatesOf(r: BacklogReport): number {
  return r.duplicateResults + r.duplicateCustomers + r.duplicateSubscribers;
}
