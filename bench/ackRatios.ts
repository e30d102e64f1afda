import type { AckRun } from './ackLatency';
import type { AckTargetName } from './ackTargets';
import { ms } from './markdown';

/** Issue 13's targets, as ratios to the bare route measured in the same run. */
export const THROUGHPUT_TARGET_RATIO = 0.5;
export const P99_TARGET_RATIO = 1.5;
/** The rate at which the p99 target applies. */
export const RATIO_RATE = 200;

export interface Target {
  /** ≥ limit (throughput) or ≤ limit (latency). */
  atLeast: boolean;
  limit: number;
}

export interface Ratio {
  target: AckTargetName;
  run: AckRun;
  value: number;
  /** Connector ÷ bare route. */
  ratio: number;
  /** Undefined where the measure has no target. */
  met?: boolean;
}

export interface RatioRow {
  measure: string;
  target?: Target;
  format(value: number): string;
  bare: AckRun;
  bareValue: number;
  connectors: Ratio[];
}

interface Measure {
  measure: string;
  target?: Target;
  format(value: number): string;
  picks(run: AckRun): boolean;
  value(run: AckRun): number;
}

export const perSecond = (value: number): string => `${Math.round(value).toLocaleString('en')}/s`;
export const times = (ratio: number): string => (Number.isFinite(ratio) ? `${ratio < 10 ? ratio.toFixed(2) : Math.round(ratio)}×` : '—');
export const targetText = (t: Target): string => `${t.atLeast ? '≥' : '≤'} ${t.limit}× bare`;

/** Throughput at saturation, then p99 at every measured rate and arrival shape: each connector target against the bare route. */
export function ratioRows(runs: readonly AckRun[]): RatioRow[] {
  const rates = [...new Set(runs.filter((r) => r.kind === 'measured' && r.arrivals.shape !== 'closed loop').map((r) => rateOf(r)))].sort((a, b) => a - b);
  const measures: Measure[] = [
    { measure: 'Throughput at saturation', target: { atLeast: true, limit: THROUGHPUT_TARGET_RATIO }, format: perSecond, picks: (r) => r.kind === 'saturation', value: (r) => r.achievedPerSecond },
    ...rates.flatMap((rate) =>
      (['even', 'bursty'] as const).map(
        (shape): Measure => ({
          measure: `p99 at ${rate}/s, ${shape} arrivals`,
          ...(rate === RATIO_RATE ? { target: { atLeast: false, limit: P99_TARGET_RATIO } } : {}),
          format: ms,
          picks: (r) => r.kind === 'measured' && r.arrivals.shape === shape && rateOf(r) === rate,
          value: (r) => r.p99,
        }),
      ),
    ),
  ];
  return measures.flatMap((m) => {
    const bare = runs.find((r) => r.target === 'bare route' && m.picks(r));
    if (!bare) return [];
    const bareValue = m.value(bare);
    const connectors = runs
      .filter((r) => r.target !== 'bare route' && m.picks(r))
      .map((run): Ratio => {
        const value = m.value(run);
        const ratio = value / bareValue;
        // A run that dropped connections did not keep up, whatever its figures.
        const kept = Object.keys(run.errors).length === 0;
        return { target: run.target, run, value, ratio, ...(m.target ? { met: kept && (m.target.atLeast ? ratio >= m.target.limit : ratio <= m.target.limit) } : {}) };
      });
    return [{ measure: m.measure, ...(m.target ? { target: m.target } : {}), format: m.format, bare, bareValue, connectors }];
  });
}

/** The open-loop rate of a run; 0 for the closed loop, which has none. */
export const rateOf = (run: AckRun): number => (run.arrivals.shape === 'closed loop' ? 0 : run.arrivals.ratePerSecond);
