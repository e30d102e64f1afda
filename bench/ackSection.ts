import { AckRun, DEFAULT_BUDGET_MS, MEASURED_BUDGET_MS, WEBEX_LATENCY_MS } from './ackLatency';
import { count, mib, ms, percent, table, tally } from './markdown';

export const ACK_TARGET_P99_MS = 25;

/** A run keeps up when every notification was answered, with p99 under the target. */
export function ackKeptUp(run: AckRun): boolean {
  return run.p99 < ACK_TARGET_P99_MS && Object.keys(run.errors).length === 0;
}

/** The runs that answer as soon as the notification is journaled, slowest rate first. */
const byRate = (runs: readonly AckRun[]) => runs.filter((r) => r.budgetMs === MEASURED_BUDGET_MS).sort((a, b) => a.ratePerSecond - b.ratePerSecond);

/** The lowest measured rate at which acknowledgements missed the target; undefined when none did. */
const firstBreak = (runs: readonly AckRun[]): AckRun | undefined => byRate(runs).find((r) => !ackKeptUp(r));

export function breakingPoint(runs: readonly AckRun[]): string {
  const firstMiss = firstBreak(runs);
  const lastKept = byRate(runs).reverse().find((r) => ackKeptUp(r) && (!firstMiss || r.ratePerSecond < firstMiss.ratePerSecond));
  const kept = lastKept ? `kept up to ${lastKept.ratePerSecond}/s (p99 ${ms(lastKept.p99)})` : 'kept up at no measured rate';
  if (!firstMiss) return `${kept}; no measured rate broke it`;
  return `${kept}; broke at ${firstMiss.ratePerSecond}/s: p99 ${ms(firstMiss.p99)}, ${Math.round(firstMiss.achievedPerSecond)} answers/s, connector at ${percent(firstMiss.underLoad.cpuShare)} of a core, machine ${percent(firstMiss.underLoad.machineBusy)} busy`;
}

/** A connector that falls behind with CPU to spare is waiting on something; for the SQLite journal, that is the disk. */
function waitingNotComputing(broken: AckRun | undefined): string {
  if (!broken || broken.underLoad.cpuShare >= 0.7) return '';
  return ` The connector used only ${percent(broken.underLoad.cpuShare)} of a core there: it was waiting, not computing. The SQLite journal commits with fsync, synchronously on the connector's event loop, so no request moves while the disk syncs; with \`TMPDIR\` pointing at a memory file system, \`npm run bench -- --only=ack\` shows the limit without the disk.`;
}

export function ackSection(runs: readonly AckRun[], warmupSeconds: number, chart?: string): string {
  const rows = runs.map((r) => [
    r.kind,
    `${r.ratePerSecond}/s`,
    `${r.seconds} s`,
    String(r.budgetMs),
    tally(r.statuses) + (Object.keys(r.errors).length ? `; errors ${tally(r.errors)}` : ''),
    ms(r.p50),
    ms(r.p99),
    ms(r.max),
    `${Math.round(r.achievedPerSecond)}/s`,
    percent(r.underLoad.cpuShare),
    percent(r.underLoad.machineBusy),
    `${mib(r.underLoad.medianRssBytes)} / ${mib(r.underLoad.peakRssBytes)}`,
    ms(r.maxSendLagMs),
  ]);
  const defaultRun = runs.find((r) => r.kind === 'default budget');
  return [
    '## 1. Acknowledgement latency of `/subscription_receiver`',
    '',
    `Each run starts a fresh connector (\`node dist/src/main.js\`, its own process, the default SQLite journal in the temporary folder, \`LOG_LEVEL=info\` written to a file), the AppDirect and Webex simulators in the benchmark process — Webex answers every call after ${WEBEX_LATENCY_MS} ms — and a separate load process (\`bench/loadGenerator.ts\`) that sends \`GET /subscription_receiver?eventUrl=…\` with Basic authentication over loopback. Every notification carries its own event token, registered beforehand with the AppDirect simulator as a new company's order, so the connector journals each one and works it in the background (default \`JOB_CONCURRENCY=4\`) while the load goes on.`,
    '',
    `Requests are sent open-loop at evenly spaced moments, and each latency is measured from its scheduled moment, so a stall is charged to every notification queued behind it. (autocannon's rate limit releases each connection's quota at the start of every second, so "200 a second" would arrive as bursts.) Each run is preceded by ${warmupSeconds} s of the same load, not counted. \`SYNC_BUDGET_MS=${MEASURED_BUDGET_MS}\`: the connector answers 202 as soon as the notification is journaled, which is what this measures.`,
    '',
    table(['Run', 'Rate', 'Length', 'SYNC_BUDGET_MS', 'Answers', 'p50', 'p99', 'max', 'Answers/s', 'Connector CPU', 'Machine CPU busy', 'RSS median / peak', 'Load process lag'], rows),
    '',
    `"Answers/s" counts answers over the time from the first scheduled request to the last answer. "Connector CPU" is the connector's CPU time over the run's wall time (100 % = one core busy); "Machine CPU busy" is the share of all cores busy meanwhile, whoever used them (the load process, the simulators, anything else on the machine). "Load process lag" is how late the load process itself sent its most delayed request; it must stay well under the latencies for them to hold.`,
    '',
    `**Where it breaks:** ${breakingPoint(runs)}.${waitingNotComputing(firstBreak(runs))}`,
    '',
    defaultRun
      ? `**Default budget:** with \`SYNC_BUDGET_MS=${DEFAULT_BUDGET_MS}\` a notification waits up to ${DEFAULT_BUDGET_MS / 1000} s for its result before the answer becomes 202. At ${defaultRun.ratePerSecond}/s, ${count(defaultRun.sorted.filter((l) => l >= DEFAULT_BUDGET_MS).length)} of ${count(defaultRun.sent)} answers took the whole budget (median ${ms(defaultRun.p50)}; answers ${tally(defaultRun.statuses)}): a new company's order does not finish within it, so AppDirect holds a connection open for ${DEFAULT_BUDGET_MS / 1000} s per notification.`
      : '',
    '',
    chart ? `![Acknowledgement latency by percentile](${chart})\n` : '',
  ].join('\n');
}
