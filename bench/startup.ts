import { setTimeout as sleep } from 'node:timers/promises';
import type { Program } from './serviceProcess';
import { startStack } from './stack';

/** How an operator starts the compiled connector: directly, as the image does, or through the package script. */
export const LAUNCHERS = ['connector', 'npm start'] as const satisfies readonly Program[];
export type Launcher = (typeof LAUNCHERS)[number];

export interface StartupRun {
  launcher: Launcher;
  startToHealthyMs: number;
  /** One second after /health first answered, with nothing to do; only when node is the process started (npm is not the connector). */
  idleRssBytes?: number;
}

/** Starts the compiled connector `runs` times each way, alternating, on a fresh journal, and times it from spawn to a healthy /health. */
export async function measureStartup(runs: number, say: (line: string) => void): Promise<StartupRun[]> {
  const results: StartupRun[] = [];
  for (let i = 0; i < runs; i++) {
    for (const launcher of LAUNCHERS) {
      const stack = await startStack({ webex: {}, env: {}, program: launcher });
      try {
        await sleep(1000);
        const idleRssBytes = launcher === 'connector' ? (await stack.receiver.usage()).rssBytes : undefined;
        results.push({ launcher, startToHealthyMs: stack.receiver.startToHealthyMs, ...(idleRssBytes === undefined ? {} : { idleRssBytes }) });
      } finally {
        await stack.close();
      }
    }
  }
  say(`  ${runs} starts measured each way`);
  return results;
}
