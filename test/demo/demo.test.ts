import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const DEMO = path.resolve(__dirname, '../../dist/demo/main.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The compiled demo as `npm run demo` runs it: its own process, to the end. */
function runDemo(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, ...args], { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const lines = (text: string) => text.split('\n');
const tooWide = (text: string) => lines(text).filter((line) => [...line].length > 120);

describe('npm run demo', () => {
  let plain: Run;
  let verbose: Run;
  beforeAll(async () => {
    [plain, verbose] = await Promise.all([runDemo([]), runDemo(['--verbose'])]);
  }, 120_000);
  // The demo leaves its folder for the user to read; the test reads it, then removes it.
  afterAll(() => {
    for (const run of [plain, verbose]) {
      const logFile = /^The story with whole IDs and bodies: (.+)$/m.exec(run?.stdout ?? '')?.[1];
      if (logFile) fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
    }
  });

  test('plays the whole story and exits 0', () => {
    expect(plain.stderr).toBe('');
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/^Summary: (\d+) events, \1 succeeded; \d+ Webex calls; \d+ results? POSTed to AppDirect; \d+\.\d s\.$/m);
    expect(plain.stdout).toContain('Every step succeeded.');
  });

  test('tells what AppDirect asked, what Webex was told and how the statuses moved', () => {
    const out = plain.stdout;
    expect(out).toMatch(/^AppDirect asks: SUBSCRIPTION_ORDER, edition MEETINGS, company Acme Pizza \([0-9a-f]{8}…\), user ada@acme-pizza\.example\.com$/m);
    expect(out).toMatch(/^AppDirect asks: USER_ASSIGNMENT, account [0-9a-f]{8}…, user bob@acme-pizza\.example\.com$/m);
    expect(out).toMatch(/AppDirect → connector {2}GET \/subscription_receiver\?eventUrl=…\/events\/[0-9a-f]{8}…&eventType=create \(Basic auth\)/);
    expect(out).toMatch(/connector → Webex {6}POST \/wholesale\/customers \(Acme Pizza, packages webex_calling, webex_meetings\) → 202/);
    expect(out).toMatch(/connector → Webex {6}GET \/wholesale\/customers\?externalId=[0-9a-f]{8}… → 200, customer provisioning/);
    expect(out).toMatch(/^Status: {2}customer: none → provisioning → provisioned$/m);
    expect(out).toMatch(/^ {9}subscriber ada@acme-pizza\.example\.com: provisioning → provisioned$/m);
    expect(out).toMatch(/^Status: {2}subscriber ada@acme-pizza\.example\.com: provisioned; packages webex_meetings → webex_calling$/m);
  });

  test('says what the connector answered, and the result it POSTed later', () => {
    const out = plain.stdout;
    expect(out).not.toContain('AppDirect answered');
    expect(out).toMatch(/connector → AppDirect {2}answered the notification: HTTP 202, accepted/);
    expect(out).toMatch(/connector → AppDirect {2}POST \/api\/integration\/v1\/events\/[0-9a-f]{8}…\/result → 204, success, account [0-9a-f]{8}…/);
    expect(out).toMatch(/^Outcome: success, answered HTTP 202 at \+\d+\.\d\ds, result POSTed at \+\d+\.\d\ds$/m);
    expect(out).toMatch(/no Webex call: the journal already holds this event and its result/);
    expect(out).toMatch(/^Outcome: success, in the answer, HTTP 200 at \+\d+\.\d\ds$/m);
  });

  test('every line fits 120 columns and none is printed twice in a row', () => {
    for (const run of [plain, verbose]) {
      expect(tooWide(run.stdout)).toEqual([]);
      const repeated = lines(run.stdout).filter((line, i, all) => line.trim() && line === all[i - 1]);
      expect(repeated).toEqual([]);
    }
  });

  test('the log file it names holds the whole IDs and bodies; --verbose prints the bodies too', () => {
    const logFile = /^The story with whole IDs and bodies: (.+)$/m.exec(plain.stdout)?.[1];
    expect(logFile).toBeDefined();
    const log = fs.readFileSync(logFile!, 'utf8');
    const company = /^AppDirect asks: SUBSCRIPTION_ORDER, edition MEETINGS, company Acme Pizza \(([0-9a-f-]{36})\)/m.exec(log)?.[1];
    expect(company).toBeDefined();
    expect(plain.stdout).toContain(`company Acme Pizza (${company!.slice(0, 8)}…)`);
    expect(log).toContain('"provisioningId": "sim-provisioning-id"');
    expect(plain.stdout).not.toContain('"provisioningId"');
    expect(verbose.stdout).toContain('"provisioningId": "sim-provisioning-id"');
    expect(verbose.status).toBe(0);
  });

  test('an unknown option is refused in one line, exit 2', async () => {
    const run = await runDemo(['--bogus']);
    expect(run).toEqual({ status: 2, stdout: '', stderr: 'demo: unknown option --bogus (usage: npm run demo -- --help)\n' });
  });
});
