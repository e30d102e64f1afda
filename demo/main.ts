import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config';
import { startConnector } from '../src/connector';
import { createLogger } from '../src/log';
import { startSimulators } from '../sim/stack';
import { playStory } from './story';

/**
 * `npm run demo`: the connector against both simulators, with the embedded store in a temporary
 * folder, playing one subscription's life.
 */
async function main(): Promise<void> {
  const write = (s: string) => process.stdout.write(s);
  const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webex-connector-demo-'));
  const sims = await startSimulators({ customerProvisioningMs: 4000, subscriberProvisioningMs: 500 });
  const { webex, appDirect } = sims;
  const config = parseConfig({ ...sims.env, PORT: '0', DATA_DIR: demoDir, WEBEX_POLL_INTERVAL_MS: '1000', SYNC_BUDGET_MS: '2000' });
  const logFile = path.join(demoDir, 'connector.log');
  const logger = createLogger({ level: 'debug', destination: fs.createWriteStream(logFile) });
  const connector = await startConnector(config, { logger, host: '127.0.0.1' });

  write('Webex connector demo: AppDirect and Webex are simulators on loopback; the connector is the real one.\n');
  write(`Marketplace ${appDirect.url} · Webex ${webex.url} · connector ${connector.url}\n`);
  let ok = false;
  try {
    ok = await playStory({ appDirect, webex, connectorUrl: connector.url, write });
  } finally {
    await connector.close(2000);
    await sims.close();
  }
  write(`\n${ok ? 'Every step succeeded.' : 'A step failed: see above.'} Webex calls: ${webex.calls.length}. Connector log: ${logFile}\n`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((err) => {
  process.stderr.write(`The demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
