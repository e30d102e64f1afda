import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { playStory } from '../../demo/story';
import { parseConfig } from '../../src/config';
import { startConnector } from '../../src/connector';
import { startSimulators } from '../../sim/stack';
import { capturingLogger } from '../support/logCapture';

test("the demo's story plays to the end against the simulators, every step a success", async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-story-'));
  const sims = await startSimulators({ customerProvisioningMs: 300, subscriberProvisioningMs: 50 });
  const config = parseConfig({ ...sims.env, PORT: '0', DATA_DIR: dataDir, WEBEX_POLL_INTERVAL_MS: '50', SYNC_BUDGET_MS: '500' });
  const connector = await startConnector(config, { logger: capturingLogger().logger, host: '127.0.0.1' });
  let told = '';
  try {
    const outcome = await playStory({ appDirect: sims.appDirect, webex: sims.webex, connectorUrl: connector.url, say: (line) => (told += `${line}\n`), log: () => undefined, verbose: false });
    expect(outcome.succeeded).toBe(outcome.events);
    expect(told).toContain('Another administrator upgrades the subscription');
    const subscriberUpdates = sims.webex.calls.filter((c) => c.method === 'PUT' && c.path.startsWith('/wholesale/subscribers/') && c.status === 200);
    expect(subscriberUpdates.map((c) => c.requestBody)).toEqual(expect.arrayContaining([expect.objectContaining({ packages: ['webex_calling', 'attendant_console'] })]));
    expect(sims.webex.state.subscribers.size).toBe(0);
  } finally {
    await connector.close(100);
    await sims.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
