export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  dashed?: boolean;
}

export interface Tick {
  at: number;
  label: string;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Replaces the automatic x ticks (e.g. percentiles on a stretched axis). */
  xTicks?: Tick[];
  /** Logarithmic y axis, for values spanning several orders of magnitude. */
  yLog?: boolean;
}

const WIDTH = 760;
const HEIGHT = 400;
const PLOT = { left: 70, top: 40, width: WIDTH - 70 - 20, height: HEIGHT - 40 - 50 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

interface Scales {
  xTicks: Tick[];
  yTicks: Tick[];
  px(x: number): number;
  py(y: number): number;
}

/** A self-contained SVG line chart: axes, ticks, grid, one polyline per series and a legend. */
export function lineChart(spec: ChartSpec): string {
  const scales = scalesFor(spec);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    text(WIDTH / 2, 22, spec.title, 'middle', 'font-size="15" font-weight="bold"'),
    ...axes(spec, scales),
    ...spec.series.map((series, i) => {
      const points = series.points.map(([x, y]) => `${scales.px(x).toFixed(1)},${scales.py(y).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${colourOf(i)}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points}"/>`;
    }),
    // The legend comes last, on a white panel, so that no line hides its text.
    ...legend(spec.series),
    '</svg>',
    '',
  ].join('\n');
}

function scalesFor(spec: ChartSpec): Scales {
  const points = spec.series.flatMap((s) => s.points);
  const xs = points.map(([x]) => x);
  const ys = points.map(([, y]) => y).filter((y) => !spec.yLog || y > 0);
  const xTicks = spec.xTicks ?? niceTicks(Math.min(...xs), Math.max(...xs));
  const xMin = Math.min(...xTicks.map((t) => t.at), ...xs);
  const xMax = Math.max(...xTicks.map((t) => t.at), ...xs);
  const yTicks = spec.yLog ? logTicks(Math.min(...ys), Math.max(...ys)) : niceTicks(0, Math.max(...ys));
  const lowest = yTicks[0]!.at;
  // On a log axis a value below the lowest tick (a zero, say) is drawn on the axis.
  const toY = spec.yLog ? (v: number) => Math.log10(Math.max(v, lowest)) : (v: number) => v;
  const yMin = toY(lowest);
  const yMax = toY(yTicks[yTicks.length - 1]!.at);
  return {
    xTicks,
    yTicks,
    px: (x) => PLOT.left + ((x - xMin) / (xMax - xMin || 1)) * PLOT.width,
    py: (y) => PLOT.top + PLOT.height - ((toY(y) - yMin) / (yMax - yMin || 1)) * PLOT.height,
  };
}

function axes(spec: ChartSpec, scales: Scales): string[] {
  const right = PLOT.left + PLOT.width;
  const bottom = PLOT.top + PLOT.height;
  return [
    ...scales.yTicks.flatMap((tick) => [line(PLOT.left, scales.py(tick.at), right, scales.py(tick.at), '#e5e5e5'), text(PLOT.left - 6, scales.py(tick.at) + 4, tick.label, 'end')]),
    ...scales.xTicks.flatMap((tick) => [line(scales.px(tick.at), PLOT.top, scales.px(tick.at), bottom, '#e5e5e5'), text(scales.px(tick.at), bottom + 16, tick.label, 'middle')]),
    line(PLOT.left, bottom, right, bottom, '#333'),
    line(PLOT.left, PLOT.top, PLOT.left, bottom, '#333'),
    text(PLOT.left + PLOT.width / 2, HEIGHT - 10, spec.xLabel, 'middle'),
    `<text transform="translate(16 ${PLOT.top + PLOT.height / 2}) rotate(-90)" text-anchor="middle">${escape(spec.yLabel)}</text>`,
  ];
}

function legend(series: readonly Series[]): string[] {
  const width = 50 + 7 * Math.max(...series.map((s) => s.name.length));
  return [
    `<rect x="${PLOT.left + 6}" y="${PLOT.top + 2}" width="${width}" height="${series.length * 18 + 6}" fill="white" fill-opacity="0.9"/>`,
    ...series.flatMap((s, i) => {
      const y = PLOT.top + 14 + i * 18;
      return [line(PLOT.left + 12, y - 4, PLOT.left + 36, y - 4, colourOf(i), s.dashed), text(PLOT.left + 42, y, s.name, 'start')];
    }),
  ];
}

/** About five round-numbered ticks (1, 2 or 5 times a power of ten apart) covering [min, max]. */
function niceTicks(min: number, max: number): Tick[] {
  const range = max - min || Math.abs(max) || 1;
  const magnitude = 10 ** Math.floor(Math.log10(range / 5));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => range / s <= 6) ?? 10 * magnitude;
  const ticks: Tick[] = [];
  for (let at = Math.floor(min / step) * step; at < max + step; at += step) {
    ticks.push({ at, label: formatNumber(at) });
    if (at >= max) break;
  }
  return ticks;
}

/** 1, 2, 5, 10, 20, 50, … from the last one at or below the smallest value to the first one at or above the largest. */
function logTicks(min: number, max: number): Tick[] {
  const candidates: number[] = [];
  for (let decade = Math.floor(Math.log10(min)); decade <= Math.ceil(Math.log10(max)); decade++) {
    for (const m of [1, 2, 5]) candidates.push(m * 10 ** decade);
  }
  const first = candidates.filter((c) => c <= min).pop() ?? candidates[0]!;
  const last = candidates.find((c) => c >= max) ?? candidates[candidates.length - 1]!;
  return candidates.filter((c) => c >= first && c <= last).map((at) => ({ at, label: formatNumber(at) }));
}

const colourOf = (i: number) => COLOURS[i % COLOURS.length]!;

function formatNumber(v: number): string {
  if (Math.abs(v) >= 1000) return `${Number((v / 1000).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

function line(x1: number, y1: number, x2: number, y2: number, stroke: string, dashed = false): string {
  return `<line x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="${stroke}"${dashed ? ' stroke-dasharray="6 4" stroke-width="2"' : ''}/>`;
}

function text(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end', extra = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" ${extra}>${escape(content)}</text>`;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
