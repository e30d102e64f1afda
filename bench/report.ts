import type { AckRun } from './ackLatency';
import { ackKeptUp, ackSection, ACK_TARGET_P99_MS, breakingPoint } from './ackSection';
import type { BacklogReport } from './backlog';
import { backlogSection, duplicatesOf, failedOf } from './backlogSection';
import { CALL_COUNT_SETTINGS, CallCount } from './callsPerEvent';
import type { Machine } from './machine';
import { count, mib, ms, percent, seconds, table, verdict } from './markdown';
import type { BenchmarkName } from './options';
import type { StartupRun } from './startup';
import { median } from './stats';

export const ACK_TARGET_RATE = 200;
export const CALLS_TARGET_EXISTING_ORDER = 4;
export const BACKLOG_TARGET_RATIO = 1.1;

export interface BenchResults {
  machine: Machine;
  startedAt: Date;
  command: string;
  /** One-minute load average when the run began: other work on the machine shares its cores. */
  loadAverage: number;
  durationMs: number;
  warmupSeconds: number;
  startup?: StartupRun[];
  calls?: CallCount[];
  ack?: AckRun[];
  backlog?: BacklogReport;
}

/** File names of the charts, relative to the report. */
export interface ChartFiles {
  latency?: string;
  backlogProgress?: string;
  backlogCalls?: string;
}

export function renderReport(results: BenchResults, charts: ChartFiles): string {
  const { machine } = results;
  return [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (the scripts in `bench/`); run it again rather than editing the figures.',
    '',
    `- **Date:** ${results.startedAt.toISOString()} (the run took ${seconds(results.durationMs)})`,
    `- **Command:** \`${results.command}\``,
    `- **Machine:** ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, ${machine.os}; Node.js ${machine.node}; journal on ${machine.journalFileSystem}`,
    `- **Load average when the run began:** ${results.loadAverage.toFixed(2)} (the connector, the simulators and the load process share these cores with anything else running)`,
    '',
    summarySection(results),
    ...REPORT_ORDER.map((name) => renderSection(name, results, charts)).filter((section) => section !== ''),
  ].join('\n');
}

const REPORT_ORDER: readonly BenchmarkName[] = ['ack', 'calls', 'backlog', 'startup'];

/** One benchmark's part of the report; empty when it did not run. */
export function renderSection(name: BenchmarkName, results: BenchResults, charts: ChartFiles): string {
  switch (name) {
    case 'ack':
      return results.ack ? ackSection(results.ack, results.warmupSeconds, charts.latency) : '';
    case 'calls':
      return results.calls ? callsSection(results.calls) : '';
    case 'backlog':
      return results.backlog ? backlogSection(results.backlog, { progress: charts.backlogProgress, calls: charts.backlogCalls }) : '';
    case 'startup':
      return results.startup ? startupSection(results.startup, results.ack) : '';
  }
}

function summarySection(results: BenchResults): string {
  const rows: string[][] = [];
  const ackRun = results.ack?.find((r) => r.kind === 'measured' && r.ratePerSecond === ACK_TARGET_RATE);
  if (ackRun) rows.push([`Acknowledgement p99 at ${ACK_TARGET_RATE}/s`, `< ${ACK_TARGET_P99_MS} ms`, ms(ackRun.p99), verdict(ackKeptUp(ackRun))]);
  if (results.ack) rows.push(['Where acknowledgements break', 'report', breakingPoint(results.ack), '']);
  for (const row of results.calls?.filter((c) => c.scenario === 'Order for an existing company') ?? []) {
    rows.push([`Webex calls, order for an existing company (${row.edition})`, `≤ ${CALLS_TARGET_EXISTING_ORDER}, prechecks included`, String(row.calls), verdict(row.calls <= CALLS_TARGET_EXISTING_ORDER)]);
  }
  const backlog = results.backlog;
  if (backlog) {
    const ratio = backlog.totalMs / backlog.floorMs;
    rows.push([`Backlog of ${count(backlog.orders)} orders, total time`, `≤ ${percent(BACKLOG_TARGET_RATIO)} of the floor`, `${seconds(backlog.totalMs)} = ${percent(ratio)} of ${seconds(backlog.floorMs)}`, verdict(ratio <= BACKLOG_TARGET_RATIO)]);
    const duplicated = duplicatesOf(backlog);
    const failed = failedOf(backlog);
    // Every order of the backlog is valid, so one that fails is as lost to its customer as one never answered.
    rows.push(['Backlog outcome', 'lost 0, duplicated 0', `lost ${count(backlog.lost)}, duplicated ${count(duplicated)}, failed ${count(failed)}`, verdict(backlog.lost === 0 && duplicated === 0 && failed === 0)]);
  }
  if (results.startup) rows.push(['Start to a healthy /health', '—', `${ms(median(results.startup.map((s) => s.startToHealthyMs)))} (median)`, '']);
  return ['## Summary', '', table(['What', 'Target', 'Measured', ''], rows), ''].join('\n');
}

function callsSection(rows: readonly CallCount[]): string {
  const { customerProvisioningMs, subscriberProvisioningMs, pollIntervalMs } = CALL_COUNT_SETTINGS;
  return [
    '## 2. Webex calls per event',
    '',
    `One connector against the simulators, one event at a time: every Webex call between a notification and AppDirect receiving its result belongs to that event. Each subscription's life is played twice, starting on the meetings and on the calling edition. The simulator keeps a new customer provisioning for ${customerProvisioningMs / 1000} s and a new subscriber for ${subscriberProvisioningMs / 1000} s, and the connector looks again every \`WEBEX_POLL_INTERVAL_MS=${pollIntervalMs}\`, so each wait costs exactly one status poll; against the real Webex a new customer takes minutes, that is one more "find customer" per poll interval. The reference column is the Python demo's sequence as \`reference-demo.md\` describes it (not measured; it also fetches a new AppDirect token for every event).`,
    '',
    table(
      ['Event', 'Edition', 'Webex calls', 'of which status polls', 'Sequence', 'Reference demo'],
      rows.map((r) => [r.scenario, r.edition, String(r.calls), String(r.statusPolls), r.sequence, r.reference]),
    ),
    '',
    `Target: an order for an existing company in at most ${CALLS_TARGET_EXISTING_ORDER} calls, prechecks included.`,
    '',
  ].join('\n');
}

function startupSection(runs: readonly StartupRun[], ack: readonly AckRun[] | undefined): string {
  const starts = runs.map((r) => r.startToHealthyMs);
  const atTarget = ack?.find((r) => r.kind === 'measured' && r.ratePerSecond === ACK_TARGET_RATE);
  const rows = [
    [`Start to a healthy \`/health\` (${runs.length} starts)`, `median ${ms(median(starts))}, min ${ms(Math.min(...starts))}, max ${ms(Math.max(...starts))}`],
    ['RSS idle, 1 s after start', `median ${mib(median(runs.map((r) => r.idleRssBytes)))}`],
  ];
  if (atTarget) rows.push([`RSS under ${ACK_TARGET_RATE} notifications/s`, `median ${mib(atTarget.underLoad.medianRssBytes)}, peak ${mib(atTarget.underLoad.peakRssBytes)} (idle before that run: ${mib(atTarget.idleRssBytes)})`]);
  return [
    '## 4. Start-up and memory',
    '',
    'The compiled connector (`node dist/src/main.js`) is spawned as a real process on a fresh journal and timed from spawn to the first 200 of `GET /health`. Memory is the resident set size the operating system reports.',
    '',
    table(['Measure', 'Result'], rows),
    '',
  ].join('\n');
}
