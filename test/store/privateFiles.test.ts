import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectorProcess, spawnConnector } from '../support/connectorProcess';
import { validEnv } from '../support/env';
import { eventually } from '../support/harness';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

/** The journal holds customer names and e-mail addresses: only the connector's account may read it. */
describe('the SQLite journal on disk, with a umask that would let everyone in', () => {
  let parent: string;
  let running: ConnectorProcess | undefined;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'private-files-'));
  });
  afterEach(async () => {
    if (running) await running.kill('SIGTERM');
    running = undefined;
    fs.rmSync(parent, { recursive: true, force: true });
  });

  // The connector starts without the simulators: nothing is asked of AppDirect or Webex until a notification arrives.
  const start = async (dataDir: string) => {
    running = spawnConnector({ ...validEnv(), DATA_DIR: dataDir, PORT: '0' }, { umask: 0o000 });
    await Promise.race([running.url, running.exited.then((code) => Promise.reject(new Error(`exited with ${code}: ${running?.lines.join('\n')}`)))]);
    return running;
  };

  test('a new DATA_DIR is created 0700 and the journal files 0600', async () => {
    const dataDir = path.join(parent, 'nested', 'data');
    await start(dataDir);
    expect(modeOf(dataDir)).toBe(0o700);
    const files = fs.readdirSync(dataDir);
    expect(files).toEqual(expect.arrayContaining(['connector.sqlite', 'connector.sqlite-wal', 'connector.sqlite-shm']));
    for (const file of files) expect([file, modeOf(path.join(dataDir, file))]).toEqual([file, 0o600]);
  });

  test('a journal left readable by an earlier release is narrowed to 0600, and a readable folder is warned about', async () => {
    const dataDir = path.join(parent, 'data');
    fs.mkdirSync(dataDir);
    fs.chmodSync(dataDir, 0o755);
    const first = await start(dataDir);
    await first.kill('SIGTERM');
    for (const file of fs.readdirSync(dataDir)) fs.chmodSync(path.join(dataDir, file), 0o644);

    const second = await start(dataDir);
    await eventually(() => expect(second.lines.some((line) => /"level":40.*data folder can be read by other local users \(mode 0755\)/.test(line))).toBe(true));
    expect(modeOf(dataDir)).toBe(0o755);
    for (const file of fs.readdirSync(dataDir)) expect([file, modeOf(path.join(dataDir, file))]).toEqual([file, 0o600]);
  });
});
