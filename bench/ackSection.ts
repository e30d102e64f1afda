import { AckRun, DEFAULT_BUDGET_MS, describeLoad, MEASURED_BUDGET_MS, SATURATION_POOL_PER_SECOND } from './ackLatency';
import { P99_TARGET_RATIO, perSecond, rateOf, ratioRows, RATIO_RATE, targetText, THROUGHPUT_TARGET_RATIO, times } from './ackRatios';
import { AckTargetName, WEBEX_LATENCY_MS } from './ackTargets';
import { count, mib, ms, percent, table, tally, verdict } from './markdown';
import type { SyncLatency } from './machine';
import { DATABASE_URL_VARIABLE } from './options';
import { isDurable, PostgresServer } from './postgres';
import { profileSection } from './profileSection';
import { COMMAND_LINE } from './serviceProcess';

export const ACK_TARGET_P99_MS = 25;

/** A run keeps up when every notification was answered, with p99 under the target. */
function ackKeptUp(run: AckRun): boolean {
  return run.p99 < ACK_TARGET_P99_MS && Object.keys(run.errors).length === 0;
}

/** One target's evenly spaced runs that answer as soon as the notification is journaled, slowest rate first. */
const byRate = (runs: readonly AckRun[], target: AckTargetName) =>
  runs.filter((r) => r.target === target && r.budgetMs === MEASURED_BUDGET_MS && r.arrivals.shape === 'even').sort((a, b) => rateOf(a) - rateOf(b));

const rateText = (run: AckRun) => `${rateOf(run)}/s`;

export function breakingPoint(runs: readonly AckRun[], target: AckTargetName): string {
  const ordered = byRate(runs, target);
  const firstMiss = ordered.find((r) => !ackKeptUp(r));
  const lastKept = [...ordered].reverse().find((r) => ackKeptUp(r) && (!firstMiss || ordered.indexOf(r) < ordered.indexOf(firstMiss)));
  const kept = lastKept ? `kept up to ${rateText(lastKept)} (p99 ${ms(lastKept.p99)})` : 'kept up at no measured rate';
  if (!firstMiss) return `${kept}; no measured rate broke it`;
  return `${kept}; broke at ${rateText(firstMiss)}: p99 ${ms(firstMiss.p99)}, ${Math.round(firstMiss.achievedPerSecond)} answers/s, process at ${percent(firstMiss.underLoad.cpuShare)} of a core, machine ${percent(firstMiss.underLoad.machineBusy)} busy`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const connectorTargets = (runs: readonly AckRun[]): AckTargetName[] => [...new Set(runs.map((r) => r.target))].filter((t) => t !== 'bare route');

function postgresNote(server: PostgresServer | undefined): string {
  if (!server) {
    return `**PostgreSQL:** left out of this run: no database was given. Pass \`--database-url=postgres://user@host:port/database\` or set \`${DATABASE_URL_VARIABLE}\`; every run then gets a fresh schema there (dropped afterwards).`;
  }
  const durable = isDurable(server)
    ? 'every commit is on the disk before the connector answers, as on SQLite.'
    : '**commits are not durable on this server**, so its figures are not comparable with SQLite, which syncs every commit before answering: run against a server with `fsync=on` and `synchronous_commit=on` for reference figures.';
  return `**PostgreSQL:** ${server.where}, server ${server.version}, \`fsync=${server.fsync}\`, \`synchronous_commit=${server.synchronousCommit}\`: ${durable} Every run gets a fresh schema (dropped afterwards); the server is reached over the network stack like any other client.`;
}

export function ackSection(runs: readonly AckRun[], opts: { warmupSeconds: number; postgres?: PostgresServer; charts: ReadonlyArray<{ ratePerSecond: number; file: string }>; sync?: SyncLatency }): string {
  const saturation = runs.find((r) => r.kind === 'saturation');
  const defaultRun = runs.find((r) => r.kind === 'default budget');
  return [
    '## 1. Acknowledgement of `/subscription_receiver`: the connector against a bare route',
    '',
    `Each run starts one fresh process and measures it: the **bare route** (\`${COMMAND_LINE['bare route']}\`: Express, the connector's own Basic authentication check in constant time, then 202 with the connector's body and nothing else), or the **connector** (\`${COMMAND_LINE.connector}\`, \`LOG_LEVEL=info\` written to a file) on its default SQLite journal in the temporary folder or on PostgreSQL. The AppDirect and Webex simulators run in the benchmark process — Webex answers every call after ${WEBEX_LATENCY_MS} ms — and a separate load process (\`bench/loadGenerator.ts\`) sends \`GET /subscription_receiver?eventUrl=…\` with Basic authentication over loopback, the same requests to every target. Every notification carries its own event token, registered beforehand with the AppDirect simulator as a new company's order, so the connector journals each one and works it in the background (default \`JOB_CONCURRENCY=4\`) while the load goes on. \`SYNC_BUDGET_MS=${MEASURED_BUDGET_MS}\`: the connector answers 202 as soon as the notification is journaled, which is what this measures. Each run is preceded, in the same load process and on the same connections, by ${opts.warmupSeconds} s of the same load, not counted.`,
    '',
    postgresNote(opts.postgres),
    '',
    `Arrivals: **even** — open loop, requests sent at evenly spaced moments; **bursty** — open loop, each second's requests all released at the start of that second, as autocannon's rate limit does and as a burst of AppDirect retries arrives. In both, each latency counts from the request's scheduled moment, so a stall is charged to every request queued behind it. **Throughput at saturation** is measured closed-loop${saturation && saturation.arrivals.shape === 'closed loop' ? `, ${saturation.arrivals.connections} connections for ${saturation.seconds} s` : ''}: each connection sends its next notification as soon as the previous one is answered, and the figure is answers per second over the run. A closed loop keeps the target exactly busy; an open loop above capacity would measure the queue it builds (connections piling up, resets) rather than the rate. Up to ${count(SATURATION_POOL_PER_SECOND)} notifications a second are registered for it; a target that answers them all sooner runs shorter (noted in the table).`,
    '',
    ratioTable(runs),
    '',
    '### Every run',
    '',
    runsTable(runs),
    '',
    `"Answers/s" counts answers over the time from the first request to the last answer. "Process CPU" is the measured process's CPU time over the run's wall time (100 % = one core busy); "Machine CPU busy" is the share of all cores busy meanwhile, whoever used them (the load process, the simulators, anything else on the machine). "Load process lag" is how late the load process itself sent its most delayed request (in a burst, the last of the second); it must stay well under the latencies for them to hold.`,
    '',
    ...connectorTargets(runs).map((target) => `**Where the ${target} breaks** (p99 under ${ACK_TARGET_P99_MS} ms, evenly spaced): ${breakingPoint(runs, target)}.\n`),
    defaultRun
      ? `**Default budget:** with \`SYNC_BUDGET_MS=${DEFAULT_BUDGET_MS}\` (the ${defaultRun.target}) a notification waits up to ${DEFAULT_BUDGET_MS / 1000} s for its result before the answer becomes 202. At ${rateText(defaultRun)}, ${count(defaultRun.sorted.filter((l) => l >= DEFAULT_BUDGET_MS).length)} of ${count(defaultRun.sent)} answers took the whole budget (median ${ms(defaultRun.p50)}; answers ${tally(defaultRun.statuses)}): a new company's order does not finish within it, so AppDirect holds a connection open for ${DEFAULT_BUDGET_MS / 1000} s per notification.\n`
      : '',
    ...opts.charts.map((chart) => `![Acknowledgement latency by percentile at ${chart.ratePerSecond}/s](${chart.file})\n`),
    profileSection(runs, opts.sync),
  ].join('\n');
}

function ratioTable(runs: readonly AckRun[]): string {
  const rows = ratioRows(runs);
  const targets = connectorTargets(runs);
  if (!rows.length) return '';
  const headers = ['Measure', 'Target', 'Bare route', ...targets.flatMap((t) => [capitalised(t), '÷ bare', ''])];
  const body = rows.map((row) => [
    row.measure,
    row.target ? targetText(row.target) : 'report',
    row.format(row.bareValue),
    ...targets.flatMap((t) => {
      const r = row.connectors.find((c) => c.target === t);
      return r ? [row.format(r.value), times(r.ratio), r.met === undefined ? '' : verdict(r.met)] : ['—', '—', ''];
    }),
  ]);
  return [
    '### Connector ÷ bare route',
    '',
    table(headers, body),
    '',
    `Issue 13's targets: throughput at saturation at least ${THROUGHPUT_TARGET_RATIO}× the bare route's, and p99 at ${RATIO_RATE}/s at most ${P99_TARGET_RATIO}× the bare route's, both measured in this run. A run that dropped connections meets no target.`,
  ].join('\n');
}

function runsTable(runs: readonly AckRun[]): string {
  const rows = runs.map((r) => [
    r.target,
    r.kind,
    describeLoad(r.arrivals, r.seconds) + (r.ranOutAfterMs === undefined ? '' : ` (ran out after ${(r.ranOutAfterMs / 1000).toFixed(1)} s)`),
    String(r.budgetMs),
    tally(r.statuses) + (Object.keys(r.errors).length ? `; errors ${tally(r.errors)}` : ''),
    ms(r.p50),
    ms(r.p99),
    ms(r.max),
    perSecond(r.achievedPerSecond),
    percent(r.underLoad.cpuShare),
    percent(r.underLoad.machineBusy),
    `${mib(r.underLoad.medianRssBytes)} / ${mib(r.underLoad.peakRssBytes)}`,
    r.arrivals.shape === 'closed loop' ? '—' : ms(r.maxSendLagMs),
  ]);
  return table(['Target', 'Run', 'Load', 'SYNC_BUDGET_MS', 'Answers', 'p50', 'p99', 'max', 'Answers/s', 'Process CPU', 'Machine CPU busy', 'RSS median / peak', 'Load process lag'], rows);
}
