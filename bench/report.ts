import type { AckRun } from './ackLatency';
import { rateOf, ratioRows, targetText, times } from './ackRatios';
import { ackSection, breakingPoint, connectorTargets } from './ackSection';
import type { BacklogReport } from './backlog';
import { backlogSection, BACKLOG_429_TARGET, BACKLOG_TARGET_RATIO, duplicatesOf, failedOf, refusedShare } from './backlogSection';
import { CALL_COUNT_SETTINGS, CallCount, EXISTING_COMPANY_ORDER } from './callsPerEvent';
import type { Machine } from './machine';
import { count, mib, ms, percent, seconds, table, verdict } from './markdown';
import { BenchmarkName, DATABASE_URL_VARIABLE } from './options';
import type { PostgresServer } from './postgres';
import { runningSection } from './runningSection';
import { COMMAND_LINE } from './serviceProcess';
import { LAUNCHERS, StartupRun } from './startup';
import { median } from './stats';

export interface BenchResults {
  machine: Machine;
  startedAt: Date;
  command: string;
  /** One-minute load average when the run began: other work on the machine shares its cores. */
  loadAverage: number;
  durationMs: number;
  warmupSeconds: number;
  /** The server of the PostgreSQL runs; undefined when none was given. */
  postgres?: PostgresServer;
  startup?: StartupRun[];
  calls?: CallCount[];
  ack?: AckRun[];
  backlog?: BacklogReport;
}

/** File names of the charts, relative to the report. */
export interface ChartFiles {
  /** One latency chart per measured rate. */
  latency?: Array<{ ratePerSecond: number; file: string }>;
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
    `- **Machine:** ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB memory, ${machine.os}; Node.js ${machine.node}; SQLite journal on ${machine.journalFileSystem}${machine.sync ? ` (an fsync of 4 KiB there: p50 ${ms(machine.sync.p50)}, p99 ${ms(machine.sync.p99)}, ${machine.sync.samples} samples)` : ''}`,
    `- **PostgreSQL:** ${results.postgres ? `${results.postgres.where}, server ${results.postgres.version}, \`fsync=${results.postgres.fsync}\`, \`synchronous_commit=${results.postgres.synchronousCommit}\`` : `not measured (no \`--database-url\` or \`${DATABASE_URL_VARIABLE}\`)`}`,
    `- **Load average when the run began:** ${results.loadAverage.toFixed(2)} (the measured processes, the simulators and the load process share these cores with anything else running)`,
    '',
    summarySection(results),
    ...REPORT_ORDER.map((name) => renderSection(name, results, charts)).filter((section) => section !== ''),
    runningSection(),
  ].join('\n');
}

const REPORT_ORDER: readonly BenchmarkName[] = ['ack', 'calls', 'backlog', 'startup'];

/** One benchmark's part of the report; empty when it did not run. */
export function renderSection(name: BenchmarkName, results: BenchResults, charts: ChartFiles): string {
  switch (name) {
    case 'ack':
      return results.ack ? ackSection(results.ack, { warmupSeconds: results.warmupSeconds, postgres: results.postgres, charts: charts.latency ?? [], sync: results.machine.sync }) : '';
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
  for (const row of ratioRows(results.ack ?? []).filter((r) => r.target)) {
    for (const r of row.connectors) {
      rows.push([`${row.measure}: ${r.target} ÷ bare route`, targetText(row.target!), `${row.format(r.value)} ÷ ${row.format(row.bareValue)} = ${times(r.ratio)}`, verdict(r.met === true)]);
    }
  }
  if (results.ack && !results.postgres) rows.push(['Acknowledgement on PostgreSQL', 'measured', `left out: no \`--database-url\` or \`${DATABASE_URL_VARIABLE}\``, '']);
  for (const target of connectorTargets(results.ack ?? [])) rows.push([`Where the ${target} breaks (p99 < 25 ms)`, 'report', breakingPoint(results.ack!, target), '']);
  for (const row of results.calls?.filter((c) => c.target !== undefined) ?? []) {
    rows.push([`Webex calls, ${row.scenario.toLowerCase()} (${row.edition})`, `≤ ${row.target}, prechecks included`, String(row.calls), verdict(row.calls <= row.target!)]);
  }
  const backlog = results.backlog;
  if (backlog) {
    const ratio = backlog.totalMs / backlog.floorMs;
    rows.push([`Backlog of ${count(backlog.orders)} orders, total time`, `≤ ${percent(BACKLOG_TARGET_RATIO)} of the floor`, `${seconds(backlog.totalMs)} = ${percent(ratio)} of ${seconds(backlog.floorMs)}`, verdict(ratio <= BACKLOG_TARGET_RATIO)]);
    rows.push(['Backlog, Webex 429s', `< ${percent(BACKLOG_429_TARGET)} of calls`, `${count(backlog.refusedCalls)} of ${count(backlog.admittedCalls + backlog.refusedCalls)} = ${percent(refusedShare(backlog))}`, verdict(refusedShare(backlog) < BACKLOG_429_TARGET)]);
    const duplicated = duplicatesOf(backlog);
    const failed = failedOf(backlog);
    // Every order of the backlog is valid, so one that fails is as lost to its customer as one never answered.
    rows.push(['Backlog outcome', 'lost 0, duplicated 0', `lost ${count(backlog.lost)}, duplicated ${count(duplicated)}, failed ${count(failed)}`, verdict(backlog.lost === 0 && duplicated === 0 && failed === 0)]);
  }
  for (const launcher of LAUNCHERS) {
    const starts = results.startup?.filter((s) => s.launcher === launcher) ?? [];
    if (starts.length) rows.push([`\`${COMMAND_LINE[launcher]}\` to a healthy /health`, 'report', `${ms(median(starts.map((s) => s.startToHealthyMs)))} (median)`, '']);
  }
  return ['## Summary', '', table(['What', 'Target', 'Measured', ''], rows), ''].join('\n');
}

function callsSection(rows: readonly CallCount[]): string {
  const { customerProvisioningMs, subscriberProvisioningMs, pollIntervalMs } = CALL_COUNT_SETTINGS;
  return [
    '## 2. Webex calls per event',
    '',
    `One connector against the simulators, one event at a time: every Webex call between a notification and AppDirect receiving its result (for a notice, the answer that carries it) belongs to that event. Each subscription's life is played twice, starting on the meetings and on the calling edition: a first order, an order for the same company (an existing one), a user assigned and unassigned, a notice, a change of edition, the cancellation. The simulator keeps a new customer provisioning for ${customerProvisioningMs / 1000} s and a new subscriber for ${subscriberProvisioningMs / 1000} s, and the connector looks again every \`WEBEX_POLL_INTERVAL_MS=${pollIntervalMs}\`, so each wait costs exactly one status poll; against the real Webex a new customer takes minutes, that is one more "find customer" per poll interval. The reference column is the Python demo's sequence as \`reference-demo.md\` describes it (not measured; it also fetches a new AppDirect token for every event).`,
    '',
    table(
      ['Event', 'Edition', 'Webex calls', 'Target', '', 'of which status polls', 'Sequence', 'Reference demo'],
      rows.map((r) => [r.scenario, r.edition, String(r.calls), r.target === undefined ? '—' : `≤ ${r.target}`, r.target === undefined ? '' : verdict(r.calls <= r.target), String(r.statusPolls), r.sequence || 'none', r.reference]),
    ),
    '',
    `Targets (issue 13): an ${EXISTING_COMPANY_ORDER.toLowerCase()} in at most ${rows.filter((r) => r.target !== undefined).map((r) => `${r.target} calls on ${r.edition}`).join(' and ')}, prechecks included; the other events have no target and are reported.`,
    '',
  ].join('\n');
}

function startupSection(runs: readonly StartupRun[], ack: readonly AckRun[] | undefined): string {
  const atTarget = ack?.find((r) => r.kind === 'measured' && r.target === 'connector on SQLite' && r.arrivals.shape === 'even');
  const rows = LAUNCHERS.flatMap((launcher) => {
    const starts = runs.filter((r) => r.launcher === launcher).map((r) => r.startToHealthyMs);
    return starts.length ? [[`\`${COMMAND_LINE[launcher]}\` to a healthy \`/health\` (${starts.length} starts)`, `median ${ms(median(starts))}, min ${ms(Math.min(...starts))}, max ${ms(Math.max(...starts))}`]] : [];
  });
  const idle = runs.flatMap((r) => (r.idleRssBytes === undefined ? [] : [r.idleRssBytes]));
  if (idle.length) rows.push(['RSS idle, 1 s after start', `median ${mib(median(idle))}`]);
  if (atTarget) rows.push([`RSS under ${rateOf(atTarget)} notifications/s (SQLite)`, `median ${mib(atTarget.underLoad.medianRssBytes)}, peak ${mib(atTarget.underLoad.peakRssBytes)} (idle before that run: ${mib(atTarget.idleRssBytes)})`]);
  return [
    '## 4. Start-up and memory',
    '',
    `The compiled connector is started on a fresh journal as an operator would — \`${COMMAND_LINE.connector}\` (as the image does) and \`${COMMAND_LINE['npm start']}\` (npm, then the same command), alternately — and timed from spawn to the first 200 of \`GET /health\`. Memory is the resident set size the operating system reports for the connector's process (measured on the direct starts, where the process started is the connector).`,
    '',
    table(['Measure', 'Result'], rows),
    '',
  ].join('\n');
}
