import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppDirectSim } from '../sim/appdirect';
import type { WebexSim, WebexSimOptions } from '../sim/webex';
import { startSimulators } from '../sim/stack';
import { ConnectorProcess, spawnConnector } from './connectorProcess';

export interface Stack {
  webex: WebexSim;
  appDirect: AppDirectSim;
  connector: ConnectorProcess;
  /** What AppDirect sends in `Authorization` with each notification. */
  notificationAuthorization: string;
  close(): Promise<void>;
}

/**
 * Both simulators in this process and the compiled connector in its own, on loopback, with a fresh
 * journal in the temporary folder. `env` adds to or overrides the connector's settings.
 */
export async function startStack(opts: { webex: WebexSimOptions; env: Record<string, string> }): Promise<Stack> {
  const sims = await startSimulators(opts.webex);
  const { webex, appDirect } = sims;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'connector-bench-'));
  const env = { ...sims.env, LOG_LEVEL: 'info', ...opts.env };
  let connector: ConnectorProcess;
  try {
    connector = await spawnConnector(env, dataDir);
  } catch (err) {
    await sims.close();
    throw err;
  }
  return {
    webex,
    appDirect,
    connector,
    notificationAuthorization: sims.notificationAuthorization,
    async close() {
      await connector.stop();
      await sims.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The URL AppDirect calls for one event, as the product's integration settings build it. */
export function notificationUrl(stack: Stack, eventUrl: string, eventType = 'create'): string {
  return `${stack.connector.url}/subscription_receiver?${new URLSearchParams({ eventUrl, eventType })}`;
}
