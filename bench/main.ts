import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { measureAcknowledgements } from './ackLatency';
import { runBacklog } from './backlog';
import { countCallsPerEvent } from './callsPerEvent';
import { backlogCallsChart, backlogProgressChart, chartedRates, latencyChart } from './charts';
import { describeMachine, measureSyncLatency } from './machine';
import { BenchmarkName, displayCommand, isReferenceRun, parseOptions, UsageError } from './options';
import { describePostgres, PostgresServer, withoutPassword } from './postgres';
import { BenchResults, ChartFiles, renderReport, renderSection } from './report';
import { measureStartup } from './startup';

/** The committed figures live beside the docs; trial runs (quick, partial, resized) write to the temporary folder. */
function reportPath(out: string | undefined, reference: boolean): string {
  if (out) return path.resolve(out);
  return reference ? path.resolve(__dirname, '..', '..', 'docs', 'benchmarks.md') : path.join(os.tmpdir(), 'connector-bench', 'benchmarks.md');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv, process.env);
  const file = reportPath(options.out, isReferenceRun(options, argv));
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const started = performance.now();
  const results: BenchResults = {
    machine: describeMachine(),
    startedAt: new Date(),
    command: displayCommand(argv),
    loadAverage: os.loadavg()[0] ?? 0,
    durationMs: 0,
    warmupSeconds: options.ack.warmupSeconds,
  };
  if (options.only.has('ack')) results.machine.sync = await measureSyncLatency();
  // Asked first, so that a database that cannot be reached stops the run before it has spent any time.
  if (options.ack.databaseUrl && options.only.has('ack')) results.postgres = await reachPostgres(options.ack.databaseUrl);
  const steps: Array<[BenchmarkName, string, () => Promise<void>]> = [
    ['startup', 'Start-up and idle memory', async () => {
      results.startup = await measureStartup(options.startupRuns, say);
    }],
    ['calls', 'Webex calls per event', async () => {
      results.calls = await countCallsPerEvent(say);
    }],
    ['ack', 'Acknowledgement: the connector against a bare route', async () => {
      results.ack = await measureAcknowledgements(options.ack, say);
    }],
    ['backlog', 'Backlog against a rate-limited Webex', async () => {
      results.backlog = await runBacklog(options.backlog, say);
    }],
  ];
  for (const [name, title, run] of steps) {
    if (!options.only.has(name)) continue;
    say(`\n${title}…`);
    await run();
    say(`\n${renderSection(name, results, {})}`);
  }
  results.durationMs = performance.now() - started;

  const charts = writeCharts(results, path.dirname(file));
  fs.writeFileSync(file, renderReport(results, charts));
  say(`Report written to ${file}`);
}

async function reachPostgres(url: string): Promise<PostgresServer> {
  try {
    return await describePostgres(url);
  } catch (err) {
    throw new UsageError(`Cannot use the PostgreSQL database ${withoutPassword(url)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Each chart is an SVG file beside the report; the report links them by name. */
function writeCharts(results: BenchResults, dir: string): ChartFiles {
  fs.mkdirSync(dir, { recursive: true });
  const charts: ChartFiles = {};
  const write = (name: string, svg: string) => {
    fs.writeFileSync(path.join(dir, name), svg);
    return name;
  };
  const ack = results.ack;
  if (ack) charts.latency = chartedRates(ack).map((ratePerSecond) => ({ ratePerSecond, file: write(`benchmarks-ack-latency-${ratePerSecond}.svg`, latencyChart(ack, ratePerSecond)) }));
  if (results.backlog) {
    charts.backlogProgress = write('benchmarks-backlog-progress.svg', backlogProgressChart(results.backlog));
    charts.backlogCalls = write('benchmarks-backlog-calls.svg', backlogCallsChart(results.backlog));
  }
  return charts;
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`The benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
