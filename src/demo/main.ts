import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../config';
import { startConnector } from '../connector';
import { createLogger } from '../log';
import { startAppDirectSim } from '../sim/appdirect';
import { startWebexSim } from '../sim/webex';
import { playStory } from './story';

/**
 * `npm run demo`: the connector against both simulators, with the embedded store in a temporary
 * folder, playing one subscription's life. Credentials here are made up for the simulators.
 */
async function main(): Promise<void> {
  const write = (s: string) => process.stdout.write(s);
  const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webex-connector-demo-'));
  const webex = await startWebexSim({ token: 'demo-webex-token', customerProvisioningMs: 4000, subscriberProvisioningMs: 500 });
  const appDirect = await startAppDirectSim({
    inbound: { clientId: 'demo-connector', clientSecret: 'demo-connector-secret' },
    outbound: { mode: 'basic', username: 'demo-appdirect', password: 'demo-appdirect-password' },
  });
  const config = parseConfig({
    BASE_URL_MARKETPLACE: appDirect.url,
    BASIC_USERNAME: 'demo-appdirect',
    BASIC_PASSWORD: 'demo-appdirect-password',
    OAUTH_CLIENT_ID: 'demo-connector',
    OAUTH_CLIENT_SECRET: 'demo-connector-secret',
    WEBEX_TOKEN: 'demo-webex-token',
    WEBEX_API_BASE_URL: webex.url,
    PROVISIONING_ID: 'demo-provisioning-id',
    CUSTOMER_PACKAGES: '["webex_calling","webex_meetings"]',
    EDITION_PACKAGES: '{"MEETINGS":"webex_meetings","CALLING":"webex_calling"}',
    ADDRESS: '771 Alder Drive',
    ZIP_CODE: '95035',
    CITY: 'Milpitas',
    STATE: 'CA',
    COUNTRY: 'US',
    TIMEZONE: 'America/Los_Angeles',
    PORT: '0',
    DATA_DIR: demoDir,
    WEBEX_POLL_INTERVAL_MS: '1000',
    SYNC_BUDGET_MS: '2000',
  });
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
    await Promise.all([webex.close(), appDirect.close()]);
  }
  write(`\n${ok ? 'Every step succeeded.' : 'A step failed: see above.'} Webex calls: ${webex.calls.length}. Connector log: ${logFile}\n`);
  process.exitCode = ok ? 0 : 1;
}

main().catch((err) => {
  process.stderr.write(`The demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
