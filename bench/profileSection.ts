import { AckRun, PROFILE_FOLDER } from './ackLatency';
import { perSecond, RATIO_RATE, ratioRows, RatioRow, times } from './ackRatios';
import type { ProfileSummary } from './cpuProfile';
import type { SyncLatency } from './machine';
import type { UsageSummary } from './usageSampler';
import { ms, percent, table } from './markdown';

/** Areas shown side by side; the rest are summed into one row. */
const AREAS_SHOWN = 12;

/** Each connector target at saturation against the bare route: what limited it, and where its time went. */
export function profileSection(runs: readonly AckRun[], sync?: SyncLatency): string {
  const profiled = runs.filter((r): r is AckRun & { profile: ProfileSummary } => r.kind === 'saturation' && r.profile !== undefined);
  const bare = profiled.find((r) => r.target === 'bare route');
  const connectors = profiled.filter((r) => r.target !== 'bare route');
  if (!connectors.length) return '';
  const rows = ratioRows(runs);
  return [
    '### Where the time goes',
    '',
    `Every process ran under node's sampling CPU profiler (\`--cpu-prof\`) during its saturation run — all of them, so that its small cost is on both sides of each ratio — and only the samples taken while the closed loop ran count here. "Self time" is time in a function itself, not in what it calls; native code (C++ bindings such as better-sqlite3's statements) counts under the JavaScript that called it, while the fsync of SQLite's write-ahead log runs on libuv's thread pool and shows as idle; "idle" is the event loop waiting for something to happen (a database answer, a socket). The raw profiles stay in the temporary folder (\`${PROFILE_FOLDER}/\`) for a profiler's viewer (Chrome DevTools, speedscope).`,
    '',
    ...connectors.map((run) => `- ${diagnosis(run, bare, rows, sync)}`),
    '',
    areaTable(bare ? [bare, ...connectors] : connectors),
    '',
    ...connectors.flatMap((run) => [
      `#### ${run.target}: the functions with the most self time`,
      '',
      table(['Function', 'Where', 'Self time'], run.profile.functions.map((f) => [`\`${f.name}\``, f.where ? `\`${f.where}\`` : '', percent1(f.share)])),
      '',
    ]),
  ].join('\n');
}

const percent1 = (share: number): string => `${(share * 100).toFixed(1)} %`;

/** The target's verdicts, what bound it (computing or waiting), the biggest areas, and what its service time means for a burst. */
function diagnosis(run: AckRun & { profile: ProfileSummary }, bare: AckRun | undefined, rows: readonly RatioRow[], sync: SyncLatency | undefined): string {
  const { profile, underLoad } = run;
  const verdicts = rows.flatMap((row) => {
    const r = row.connectors.find((c) => c.target === run.target);
    return r && r.met !== undefined ? [`${row.measure} ${times(r.ratio)} (${r.met ? 'met' : 'missed'})`] : [];
  });
  const busiest = profile.areas.filter((a) => !a.name.startsWith('idle')).slice(0, 3).map((a) => `${a.name} ${percent(a.share)}`);
  const bound = limitOf(profile, underLoad);
  const serviceMs = 1000 / run.achievedPerSecond;
  const burst = `at saturation it answered one notification every ${ms(serviceMs)}, so a burst of ${RATIO_RATE} takes about ${ms(RATIO_RATE * serviceMs)} to clear${bare ? ` (the bare route: ${ms((RATIO_RATE * 1000) / bare.achievedPerSecond)})` : ''}`;
  const atRate = (shape: string) => rows.find((row) => row.measure === `p99 at ${RATIO_RATE}/s, ${shape} arrivals`)?.connectors.find((c) => c.target === run.target);
  const even = atRate('even');
  const bursty = atRate('bursty');
  return [
    `**${run.target}** — ${verdicts.join('; ')}.`,
    `${perSecond(run.achievedPerSecond)} at saturation${bare ? ` against the bare route's ${perSecond(bare.achievedPerSecond)}` : ''}; ${bound}. The machine was ${percent(underLoad.machineBusy)} busy.`,
    `Most samples: ${busiest.join(', ')}.`,
    even ? `At ${RATIO_RATE}/s evenly spaced it ran at ${percent(RATIO_RATE / run.achievedPerSecond)} of that throughput, with p50 ${ms(even.run.p50)} and p99 ${ms(even.value)}. ${sync ? `Each answer waits for its commit to reach the disk, which the bare route never does; an fsync on this machine takes p50 ${ms(sync.p50)} and p99 ${ms(sync.p99)} (measured at the start of the run), and that is the part of the gap the disk explains. The rest is time queued behind longer pauses of the event loop (the areas below are the candidates).` : 'The gap between them is time queued behind occasional longer pauses of the event loop (the areas below are the candidates).'}` : '',
    `Bursts: ${burst}${bursty ? `; its p99 under bursts of ${RATIO_RATE} was ${ms(bursty.value)}` : ''}.`,
  ]
    .filter((sentence) => sentence !== '')
    .join(' ');
}

/**
 * Waiting or computing. The profiler samples on a wall clock: a thread that waits for a free core still looks busy
 * to it, so its busy share is set against the CPU time the process really got.
 */
function limitOf(profile: ProfileSummary, usage: UsageSummary): string {
  const busy = 1 - profile.idle;
  if (profile.idle >= 0.25) return `its event loop was idle ${percent(profile.idle)} of the time while clients were waiting: the limit is a wait outside its JavaScript, not computing`;
  if (usage.machineBusy >= 0.95 && usage.cpuShare < 0.8 * busy) {
    return `its event loop was occupied ${percent(busy)} of the time but the process got only ${percent(usage.cpuShare)} of a core: every core was taken (the load process and the simulators share them), so part of that time it waited for a CPU, and the rest was computing`;
  }
  return `its event loop was busy ${percent(busy)} of the time, using ${percent(usage.cpuShare)} of a core: the limit is computing on its one thread`;
}

/** Share of each process's samples by area, the areas that weigh most in any process first. */
function areaTable(runs: ReadonlyArray<AckRun & { profile: ProfileSummary }>): string {
  const weight = new Map<string, number>();
  for (const run of runs) for (const area of run.profile.areas) weight.set(area.name, Math.max(weight.get(area.name) ?? 0, area.share));
  const shown = [...weight].sort((a, b) => b[1] - a[1]).slice(0, AREAS_SHOWN).map(([name]) => name);
  const shareIn = (run: AckRun & { profile: ProfileSummary }, name: string) => run.profile.areas.find((a) => a.name === name)?.share ?? 0;
  const rest = (run: AckRun & { profile: ProfileSummary }) => 1 - shown.reduce((total, name) => total + shareIn(run, name), 0);
  return table(
    ['Area (share of samples)', ...runs.map((r) => r.target)],
    [
      ...shown.map((name) => [name, ...runs.map((r) => percent1(shareIn(r, name)))]),
      ['everything else', ...runs.map((r) => percent1(Math.max(0, rest(r))))],
      ['samples', ...runs.map((r) => r.profile.samples.toLocaleString('en'))],
    ],
  );
}
