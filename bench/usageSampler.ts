import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ServiceProcess } from './serviceProcess';
import { median } from './stats';

export interface UsageSummary {
  medianRssBytes: number;
  peakRssBytes: number;
  /** CPU time over wall time while sampled: 1 is one core kept fully busy. */
  cpuShare: number;
  /** Share of all the machine's cores busy meanwhile, whoever used them: near 1, everything waited for CPU. */
  machineBusy: number;
}

const EVERY_MS = 500;

/** Samples the process's resident memory twice a second, and its CPU time at both ends, until stopped. */
export async function sampleUsage(receiver: ServiceProcess): Promise<{ stop(): Promise<UsageSummary> }> {
  const first = await receiver.usage();
  const machineBefore = machineTimes();
  const startedAt = performance.now();
  const rss: number[] = [first.rssBytes];
  const timer = setInterval(() => {
    receiver.usage().then(
      (usage) => rss.push(usage.rssBytes),
      () => undefined, // a sample that fails (the process busy exiting) is simply missing
    );
  }, EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      const last = await receiver.usage();
      rss.push(last.rssBytes);
      const wallSeconds = (performance.now() - startedAt) / 1000;
      const machineAfter = machineTimes();
      return {
        medianRssBytes: median(rss),
        peakRssBytes: Math.max(...rss),
        cpuShare: (last.cpuSeconds - first.cpuSeconds) / wallSeconds,
        machineBusy: 1 - (machineAfter.idle - machineBefore.idle) / (machineAfter.total - machineBefore.total),
      };
    },
  };
}

/** Idle and total CPU time of all cores together, in ms, since boot. */
function machineTimes(): { idle: number; total: number } {
  return os.cpus().reduce(
    (sum, cpu) => ({ idle: sum.idle + cpu.times.idle, total: sum.total + Object.values(cpu.times).reduce((a, b) => a + b, 0) }),
    { idle: 0, total: 0 },
  );
}
