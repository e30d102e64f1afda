import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config';
import { startConnector } from '../src/connector';
import { createLogger } from '../src/log';
import { startSimulators } from '../sim/stack';
import { wrap } from './layout';
import { playStory } from './story';

const USAGE = `Usage: npm run demo [-- --verbose]

Plays one subscription's life through the real connector, between simulated AppDirect and Webex on loopback.
  --verbose   also print every request and answer body (they are always in the demo's log file)`;

/**
 * `npm run demo`: the connector against both simulators, with the embedded store in a temporary
 * folder, playing one subscription's life.
 */
async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--verbose');
  if (unknown.length) {
    process.stderr.write(`demo: unknown option ${unknown.join(' ')} (usage: npm run demo -- --help)\n`);
    return 2;
  }
  const began = Date.now();
  const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webex-connector-demo-'));
  const storyFile = path.join(demoDir, 'demo.log');
  const connectorLog = path.join(demoDir, 'connector.log');
  const story = fs.createWriteStream(storyFile);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const log = (line: string) => story.write(`${line}\n`);
  const both = (line: string) => {
    wrap('', line, '  ').forEach(say);
    log(line);
  };

  const sims = await startSimulators({ customerProvisioningMs: 4000, subscriberProvisioningMs: 500 });
  const { webex, appDirect } = sims;
  const config = parseConfig({ ...sims.env, PORT: '0', DATA_DIR: demoDir, WEBEX_POLL_INTERVAL_MS: '1000', SYNC_BUDGET_MS: '2000' });
  const logger = createLogger({ level: 'debug', destination: fs.createWriteStream(connectorLog) });
  const connector = await startConnector(config, { logger, host: '127.0.0.1' });

  both('Webex connector demo: the real connector, between AppDirect and Webex simulated on loopback.');
  both(`Marketplace ${appDirect.url} · Webex ${webex.url} · connector ${connector.url}`);
  both(`Whole IDs and every request and answer body: ${storyFile}`);
  let outcome;
  try {
    outcome = await playStory({ appDirect, webex, connectorUrl: connector.url, say, log, verbose: argv.includes('--verbose') });
  } finally {
    await connector.close(2000);
    await sims.close();
  }
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  const allGood = outcome.succeeded === outcome.events;
  both('');
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  both(`Summary: ${count(outcome.events, 'event')}, ${outcome.succeeded} succeeded; ${count(webex.calls.length, 'Webex call')}; ${count(outcome.resultsPosted, 'result')} POSTed to AppDirect; ${seconds} s.`);
  both(allGood ? 'Every step succeeded.' : 'A step failed: see above.');
  both(`The story with whole IDs and bodies: ${storyFile}`);
  both(`The connector's own log: ${connectorLog}`);
  await new Promise((resolve) => story.end(resolve));
  return allGood ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (err) => {
    process.stderr.write(`demo: it failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
