import { setTimeout as sleep } from 'node:timers/promises';
import { startStack } from './stack';

export interface StartupRun {
  startToHealthyMs: number;
  /** One second after /health first answered, with nothing to do. */
  idleRssBytes: number;
}

/** Starts the compiled connector `runs` times on a fresh journal and times it from spawn to a healthy /health. */
export async function measureStartup(runs: number, say: (line: string) => void): Promise<StartupRun[]> {
  const results: StartupRun[] = [];
  for (let i = 0; i < runs; i++) {
    const stack = await startStack({ webex: {}, env: {} });
    try {
      await sleep(1000);
      results.push({ startToHealthyMs: stack.connector.startToHealthyMs, idleRssBytes: (await stack.connector.usage()).rssBytes });
    } finally {
      await stack.close();
    }
  }
  say(`  ${runs} starts measured`);
  return results;
}
