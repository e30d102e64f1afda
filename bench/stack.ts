import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppDirectSim } from '../sim/appdirect';
import type { WebexSim, WebexSimOptions } from '../sim/webex';
import { startSimulators } from '../sim/stack';
import { ServiceProcess, spawnService, SpawnOptions } from './serviceProcess';

export interface Stack {
  webex: WebexSim;
  appDirect: AppDirectSim;
  /** The process answering `/subscription_receiver`: the connector, or the bare reference route. */
  receiver: ServiceProcess;
  /** What AppDirect sends in `Authorization` with each notification. */
  notificationAuthorization: string;
  close(): Promise<void>;
}

export interface StackOptions extends Partial<SpawnOptions> {
  webex: WebexSimOptions;
  /** Adds to or overrides the connector's settings. */
  env: Record<string, string>;
}

/**
 * Both simulators in this process and the receiver (by default the compiled connector) in its own, on
 * loopback, with a fresh data folder (and so a fresh SQLite journal) in the temporary folder.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const sims = await startSimulators(opts.webex);
  const { webex, appDirect } = sims;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'connector-bench-'));
  const env = { ...sims.env, LOG_LEVEL: 'info', ...opts.env };
  let receiver: ServiceProcess;
  try {
    receiver = await spawnService(env, dataDir, { program: opts.program ?? 'connector', cpuProfileDir: opts.cpuProfileDir });
  } catch (err) {
    await sims.close();
    throw err;
  }
  return {
    webex,
    appDirect,
    receiver,
    notificationAuthorization: sims.notificationAuthorization,
    async close() {
      await receiver.stop();
      await sims.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The URL AppDirect calls for one event, as the product's integration settings build it. */
export function notificationUrl(stack: Stack, eventUrl: string, eventType = 'create'): string {
  return `${stack.receiver.url}/subscription_receiver?${new URLSearchParams({ eventUrl, eventType })}`;
}
