import type { AckRun } from './ackLatency';
import { rateOf } from './ackRatios';
import type { BacklogReport } from './backlog';
import { percentile } from './stats';
import { lineChart, Tick } from './svgChart';

/** The open-loop rates measured for the issue, each with a chart of its own. */
export const chartedRates = (runs: readonly AckRun[]): number[] => [...new Set(runs.filter((r) => r.kind === 'measured').map(rateOf))].sort((a, b) => a - b);

/**
 * Latency by percentile at one rate, every target and arrival shape (bursty dashed), on a stretched axis:
 * x = -log10(1 - p), so 90 %, 99 % and 99.9 % are evenly spaced and the tail, where the targets live, gets most of the width.
 */
export function latencyChart(runs: readonly AckRun[], ratePerSecond: number): string {
  const nines = (n: number) => Math.log10(n);
  const series = runs
    .filter((run) => run.kind === 'measured' && rateOf(run) === ratePerSecond && run.sorted.length > 0)
    .map((run) => {
      const points: Array<[number, number]> = [];
      for (let x = 0; x < nines(run.sorted.length); x += 0.02) points.push([x, percentile(run.sorted, 100 * (1 - 10 ** -x))]);
      points.push([nines(run.sorted.length), run.max]);
      return { name: `${run.target}, ${run.arrivals.shape}`, points, dashed: run.arrivals.shape === 'bursty' };
    });
  const xTicks: Tick[] = ['0 %', '90 %', '99 %', '99.9 %', '99.99 %', '99.999 %']
    .map((label, at) => ({ at, label }))
    .filter((tick) => series.some((s) => s.points[s.points.length - 1]![0] >= tick.at));
  return lineChart({
    title: `Acknowledgement latency at ${ratePerSecond}/s (SYNC_BUDGET_MS=0)`,
    xLabel: 'percentile',
    yLabel: 'latency (ms, log scale)',
    series,
    xTicks,
    yLog: true,
  });
}

/** Orders with their result at AppDirect over time, against the pace of the floor (Webex busy at R from start to end). */
export function backlogProgressChart(report: BacklogReport): string {
  return lineChart({
    title: `Backlog: ${report.orders.toLocaleString('en')} orders, Webex limited to ${report.ratePerSecond} calls/s`,
    xLabel: 'seconds since the first notification',
    yLabel: 'orders with their result at AppDirect',
    series: [
      { name: 'results at AppDirect', points: report.progress.map((s) => [s.seconds, s.done] as const) },
      { name: 'floor: all Webex calls at the allowed rate', points: [[0, 0], [report.floorMs / 1000, report.orders]], dashed: true },
    ],
  });
}

/** Webex calls admitted and refused with 429, per second: how well the connector keeps to the allowance. */
export function backlogCallsChart(report: BacklogReport): string {
  return lineChart({
    title: `Backlog: Webex calls per second (allowance ${report.ratePerSecond}/s)`,
    xLabel: 'seconds since the first notification',
    yLabel: 'calls per second',
    series: [
      { name: 'admitted', points: report.progress.map((s) => [s.seconds, s.admittedPerSecond] as const) },
      { name: 'refused with 429', points: report.progress.map((s) => [s.seconds, s.refusedPerSecond] as const) },
      { name: 'allowance', points: [[0, report.ratePerSecond], [report.progress.length - 1, report.ratePerSecond]], dashed: true },
    ],
  });
}
