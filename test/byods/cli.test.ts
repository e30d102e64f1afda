import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { assertBuilt, BYODS_BIN, cliEnv, recordsIn, runByods, tempDir, type CliRun } from './support/cli';
import { startByodsSim, type ByodsSim } from './support/sim';

const RECORD_NAME_TIME = '\\d{8}_\\d{6}';
const STACK_TRACE = /\n\s+at /;

let sim: ByodsSim;
let dir: string;

beforeAll(() => assertBuilt());
beforeEach(async () => {
  sim = await startByodsSim();
  dir = tempDir();
});
afterEach(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cliEnv({ WEBEX_API_BASE_URL: sim.url, WEBEX_TOKEN: sim.token, ...vars });
}

function byods(args: string[], vars?: Record<string, string>, script?: string): Promise<CliRun> {
  return runByods(args, { env: env(vars), cwd: dir, script });
}

/** No credential may reach stdout, stderr or a record. */
function expectNoSecrets(run: CliRun): void {
  const secrets = [sim.token, ...[...sim.byods.dataSources.values()].map((source) => source.jwsToken)];
  for (const text of [run.stdout, run.stderr, ...recordsIn(dir).map((record) => record.text)]) {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

describe('byods commands, run as the compiled CLI against the simulator', () => {
  test('list shows a table with the time left on each token, and --json the data without tokens', async () => {
    const fresh = sim.byods.seed({ url: 'https://dap.example.com/fresh', audience: 'FreshApp', tokenExpiresInMs: (5 * 60 + 12) * 60_000 + 30_000 });
    const expired = sim.byods.seed({ url: 'https://dap.example.com/old', audience: 'OldApp', tokenExpiresInMs: -60_000 });

    const table = await byods(['list']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`1\\s+${fresh.id}\\s+active\\s+FreshApp\\s+https://dap.example.com/fresh\\s+5h 12m`));
    expect(table.stdout).toMatch(new RegExp(`2\\s+${expired.id}\\s+active\\s+OldApp\\s+https://dap.example.com/old\\s+EXPIRED`));

    const json = await byods(['list', '--json']);
    expect(json.status).toBe(0);
    const items = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(items.map((item) => item.id)).toEqual([fresh.id, expired.id]);
    expect(items[0]).toMatchObject({ jwsToken: '[redacted]', jwsClaims: { aud: 'FreshApp', sub: 'BYODS' } });
    expectNoSecrets(json);
  });

  test('show prints every field, the nonce masked and the token claims', async () => {
    const source = sim.byods.seed({ url: 'https://dap.example.com/x', audience: 'ShowApp', subject: 'calls', nonce: 'abcdefgh-1234-5678-9999-ijklmnopqrst' });
    const run = await byods(['show', source.id]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Nonce:           abcdefgh...mnopqrst');
    expect(run.stdout).not.toContain(source.nonce);
    expect(run.stdout).toContain('Schema:          webService (78efc775...)');
    expect(run.stdout).toMatch(/aud:\s+ShowApp/);
    expect(run.stdout).toMatch(/sub:\s+calls/);
    expect(run.stdout).toMatch(/iss:\s+https:\/\/idbroker\.webex\.com\/idb/);
    expect(run.stdout).toMatch(new RegExp(`exp:\\s+${Math.floor(source.tokenExpiresAt / 1000)} \\(`));
    expect(run.stdout).toMatch(/iat:\s+\d+ \(/);
    expectNoSecrets(run);
  });

  test('schemas lists service types and descriptions', async () => {
    const run = await byods(['schemas', '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(sim.byods.schemas);
  });

  test('register sends the flags with defaults, prints the new data source and leaves a 0600 record', async () => {
    const run = await byods(['register', '--url', 'https://dap.example.com/new', '--audience', 'NewApp', '--token-lifetime', '90', '--json']);
    expect(run.status).toBe(0);
    const created = JSON.parse(run.stdout) as { id: string };
    const stored = sim.byods.dataSources.get(created.id);
    expect(stored).toMatchObject({ url: 'https://dap.example.com/new', audience: 'NewApp', subject: 'BYODS', tokenLifetimeMinutes: 90, schemaId: sim.byods.schemas[0].id });
    expect(stored?.nonce).toMatch(/^[0-9a-f-]{36}$/);

    const [record] = recordsIn(dir);
    expect(record.name).toMatch(new RegExp(`^data_source_registration_${created.id}_${RECORD_NAME_TIME}\\.json$`));
    expect(record.mode).toBe(0o600);
    expect(record.content).toMatchObject({
      operation_type: 'registration',
      success: true,
      configuration: { url: 'https://dap.example.com/new', audience: 'NewApp', tokenLifetimeMinutes: 90, nonce: stored?.nonce },
      api_response: { id: created.id, jwsToken: '[redacted]' },
    });
    expect(typeof record.content.operation_timestamp).toBe('string');
    expectNoSecrets(run);
  });

  test('a Webex validation error is one line with Webex message and tracking ID, plus a failed record', async () => {
    const run = await byods(['register', '--url', 'https://dap.example.com/new', '--schema-id', 'no-such-schema']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Unknown schemaId no-such-schema/);
    expect(run.stderr).toMatch(/tracking ID SIM_[0-9a-f-]+/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const [record] = recordsIn(dir);
    expect(record.name).toMatch(new RegExp(`^data_source_registration_failed_${RECORD_NAME_TIME}\\.json$`));
    expect(record.mode).toBe(0o600);
    expect(record.content).toMatchObject({ operation_type: 'registration', success: false, api_response: { status: 400 } });
    expect(sim.byods.dataSources.size).toBe(0);
  });

  test('update changes only what the flags say, with a new nonce; disabling needs the Control Hub message', async () => {
    const source = sim.byods.seed({ url: 'https://dap.example.com/u', audience: 'Keep', tokenLifetimeMinutes: 120 });

    const refused = await byods(['update', source.id, '--status', 'disabled']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--error-message');

    const run = await byods(['update', source.id, '--status', 'disabled', '--error-message', 'Down for maintenance', '--url', 'https://dap.example.com/moved']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Updated data source ${source.id} (disabled)`);
    const stored = sim.byods.dataSources.get(source.id);
    expect(stored).toMatchObject({ status: 'disabled', errorMessage: 'Down for maintenance', url: 'https://dap.example.com/moved', audience: 'Keep', tokenLifetimeMinutes: 120 });
    expect(stored?.nonce).not.toBe(source.nonce);
    const [record] = recordsIn(dir);
    expect(record.name).toMatch(new RegExp(`^data_source_update_${source.id}_${RECORD_NAME_TIME}\\.json$`));
    expect(record.content).toMatchObject({ success: true, configuration: { status: 'disabled', errorMessage: 'Down for maintenance' } });

    const enabled = await byods(['update', source.id, '--status', 'active']);
    expect(enabled.status).toBe(0);
    expect(sim.byods.dataSources.get(source.id)).toMatchObject({ status: 'active', url: 'https://dap.example.com/moved' });
    expect(sim.byods.dataSources.get(source.id)?.errorMessage).toBeUndefined();
  });

  test('a data source deleted meanwhile gives a clear error and a failed record', async () => {
    const source = sim.byods.seed({ url: 'https://dap.example.com/gone' });
    sim.byods.dataSources.delete(source.id);

    const run = await byods(['update', source.id, '--audience', 'Whatever']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^byods: Data source ${source.id} does not exist \\(404\\) .* The failure is recorded in \\S+data_source_update_failed_\\d{8}_\\d{6}\\.json\\n$`));
    expect(run.stderr).not.toMatch(STACK_TRACE);
    const [record] = recordsIn(dir);
    expect(record.name).toMatch(new RegExp(`^data_source_update_failed_${RECORD_NAME_TIME}\\.json$`));
    expect(record.content).toMatchObject({ success: false, data_source_id: source.id, configuration: { audience: 'Whatever' }, api_response: { status: 404 } });
  });

  test('extend --all --expiring-within renews only active sources expiring soon, and a second run renews nothing', async () => {
    const soon = sim.byods.seed({ url: 'https://dap.example.com/soon', tokenExpiresInMs: 10 * 60_000 });
    const later = sim.byods.seed({ url: 'https://dap.example.com/later', tokenExpiresInMs: 20 * 3_600_000 });
    const disabled = sim.byods.seed({ url: 'https://dap.example.com/off', status: 'disabled', errorMessage: 'off', tokenExpiresInMs: 60_000 });

    const run = await byods(['extend', '--all', '--expiring-within', '60', '--token-lifetime', '1440', '--json']);
    expect(run.status).toBe(0);
    const outcome = JSON.parse(run.stdout) as { results: Array<{ id: string; outcome: string }>; renewed: number; failed: number; skipped: number; earliestTokenExpiry: string };
    expect(outcome.results.map(({ id, outcome: what }) => [id, what])).toEqual([
      [soon.id, 'renewed'],
      [later.id, 'skipped'],
      [disabled.id, 'skipped'],
    ]);
    expect(outcome).toMatchObject({ renewed: 1, failed: 0, skipped: 2, earliestTokenExpiry: new Date(later.tokenExpiresAt).toISOString() });
    const renewed = sim.byods.dataSources.get(soon.id);
    expect(renewed?.nonce).not.toBe(soon.nonce);
    expect(renewed?.tokenExpiresAt).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(sim.byods.dataSources.get(later.id)?.nonce).toBe(later.nonce);
    expect(sim.byods.dataSources.get(disabled.id)?.nonce).toBe(disabled.nonce);
    expect(recordsIn(dir).map((record) => record.name)).toEqual([expect.stringMatching(new RegExp(`^data_source_extend_${soon.id}_${RECORD_NAME_TIME}\\.json$`))]);

    const again = await byods(['extend', '--all', '--expiring-within', '60']);
    expect(again.status).toBe(0);
    expect(again.stdout.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^skipped  ${soon.id}: token expires \\S+ \\(23h 59m left\\), beyond the 60-minute window$`)),
      expect.stringMatching(new RegExp(`^skipped  ${later.id}: token expires \\S+ \\(19h 59m left\\), beyond the 60-minute window$`)),
      `skipped  ${disabled.id}: disabled`,
      '0 extended, 0 failed, 3 skipped.',
      '',
    ]);
    expect(again.stderr).toBe('');
  });

  test('extend by ID renews each named source; a missing one fails on record and sets exit status 1', async () => {
    const source = sim.byods.seed({ url: 'https://dap.example.com/e', tokenLifetimeMinutes: 30 });
    const run = await byods(['extend', source.id, 'deleted-source', '--token-lifetime', '45']);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^extended ${source.id}: token expires \\S+ \\(44m\\)$`)),
      expect.stringMatching(/^failed   deleted-source: Data source deleted-source does not exist \(404\) \[tracking ID SIM_[^\]]+\]; it may have been deleted\. Run "node \S+main\.js list" to see the current ones\.$/),
      '1 extended, 1 failed, 0 skipped.',
      '',
    ]);
    expect(sim.byods.dataSources.get(source.id)).toMatchObject({ tokenLifetimeMinutes: 45, url: 'https://dap.example.com/e' });
    const names = recordsIn(dir).map((record) => record.name);
    expect(names).toContainEqual(expect.stringMatching(/^data_source_extend_failed_/));
    expect(names).toContainEqual(expect.stringMatching(new RegExp(`^data_source_extend_${source.id}_`)));
  });

  test('delete --yes deletes and records what was deleted; without a terminal it needs --yes; an unknown ID fails before anything', async () => {
    const source = sim.byods.seed({ url: 'https://dap.example.com/bye', audience: 'Leaving' });

    const unasked = await byods(['delete', source.id]);
    expect(unasked.status).toBe(2);
    expect(unasked.stderr).toMatch(/^byods: "node \S+main\.js delete" asks for confirmation on a terminal; without one, add --yes\.\n/);
    expect(sim.byods.dataSources.has(source.id)).toBe(true);

    const missing = await byods(['delete', 'no-such-source', '--yes']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('byods: Data source no-such-source does not exist (404)');

    const run = await byods(['delete', source.id, '--yes']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Deleted data source ${source.id} \\(Leaving, https://dap\\.example\\.com/bye, active\\)\\. Record: \\S+data_source_delete_${source.id}_\\d{8}_\\d{6}\\.json\\n$`));
    expect(sim.byods.dataSources.has(source.id)).toBe(false);
    expect(sim.calls.filter((call) => call.method === 'DELETE').map((call) => `${call.path} ${call.status}`)).toEqual([`/dataSources/${source.id} 204`]);
    const [record] = recordsIn(dir);
    expect(record).toMatchObject({ mode: 0o600, content: { operation_type: 'delete', success: true, configuration: { dataSourceId: source.id }, api_response: { status: 204, deleted: { id: source.id, url: 'https://dap.example.com/bye' } } } });
    expectNoSecrets(run);
  });

  test('--save-list saves the list first; --records-dir says where records go', async () => {
    sim.byods.seed({ url: 'https://dap.example.com/a' });
    const elsewhere = join(dir, 'records');
    const run = await byods(['schemas', '--save-list', '--records-dir', elsewhere]);
    expect(run.status).toBe(0);
    const [saved] = recordsIn(elsewhere);
    expect(saved.name).toMatch(new RegExp(`^data_sources_list_${RECORD_NAME_TIME}\\.json$`));
    expect(saved.mode).toBe(0o600);
    expect(saved.content).toMatchObject({ count: 1, data_sources: [{ url: 'https://dap.example.com/a', jwsToken: '[redacted]' }] });
    expect(typeof saved.content.retrieved_timestamp).toBe('string');
    expect(recordsIn(dir)).toEqual([]);
  });

  test('a 429 is waited out (Retry-After) and the call goes through, for a registration too', async () => {
    sim.faults.next({ status: 429, retryAfterSeconds: 1, method: 'POST', pathPrefix: '/dataSources' });
    const run = await byods(['register', '--url', 'https://dap.example.com/limited']);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^byods: warning: Webex call failed, retrying \(POST \/dataSources answered 429, waiting 1\.0s\)$/m);
    const posts = sim.calls.filter((call) => call.method === 'POST' && call.path === '/dataSources').map((call) => call.status);
    expect(posts).toEqual([429, 200]);
    expect(sim.byods.dataSources.size).toBe(1);
  });

  test('usage errors exit 2 with the reason; --help explains the commands', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['register'], /needs --url/],
      [['register', '--url', 'ftp://dap.example.com'], /must start with http:\/\/ or https:\/\//],
      [['register', '--url', 'https://x.example.com', '--token-lifetime', '1441'], /from 1 to 1440/],
      [['extend'], /needs data source IDs or --all/],
      [['extend', 'abc', '--all'], /not both/],
      [['list', '--url', 'https://x.example.com'], /--url does not apply/],
      [['update', 'abc', '--status', 'paused'], /active or disabled/],
    ];
    for (const [args, reason] of cases) {
      const run = await byods(args);
      expect({ args, status: run.status }).toEqual({ args, status: 2 });
      expect(run.stderr).toMatch(reason);
      // One style for every message, and a hint that can be typed as it is.
      expect(run.stderr).toMatch(/^byods: .+\nbyods: Run "node \S+\/dist\/src\/byods\/main\.js --help" for usage\.\n$/);
    }
    expect(sim.calls).toEqual([]);

    const help = await byods(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('extend <id>... | --all [--expiring-within MIN] [--token-lifetime MIN]');
    expect(help.stdout).toContain(`Usage: node ${BYODS_BIN} [command] [options]`);
    const extendHelp = await byods(['extend', '--help']);
    expect(extendHelp.stdout).toContain('safe to run from cron');
    expect(extendHelp.stdout).toContain('Exit status: 0 every renewal succeeded, 1 any failed, 2 bad usage or configuration.');
  });

  test('the usage hint names byods as it was started: npm run, or a command on the PATH', async () => {
    const viaNpm = await byods(['frobnicate'], { npm_lifecycle_event: 'byods' });
    expect(viaNpm.stderr).toContain('byods: Run "npm run byods -- --help" for usage.');
    // What npm link or an installed bin runs: a link named byods to the script.
    const linked = join(dir, 'bin', 'byods');
    mkdirSync(join(dir, 'bin'));
    symlinkSync(BYODS_BIN, linked);
    const onPath = await byods(['frobnicate'], {}, linked);
    expect(onPath.stderr).toBe('byods: Unknown command "frobnicate".\nbyods: Run "byods --help" for usage.\n');
  });

  test('the interactive menu refuses to start without a terminal', async () => {
    const run = await byods([]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('needs a terminal');
  });
});

describe('network failures', () => {
  test('an unreachable Webex is one clear line, and a registration that never got an answer is recorded and not repeated', async () => {
    const deadUrl = sim.url;
    await sim.close();
    const run = await runByods(['register', '--url', 'https://dap.example.com/n'], { env: cliEnv({ WEBEX_API_BASE_URL: deadUrl, WEBEX_TOKEN: 'any' }), cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Could not reach Webex \(Webex GET \/dataSources\/schemas failed \(ECONNREFUSED\)\)/);
    expect(run.stderr).not.toMatch(STACK_TRACE);

    const withSchema = await runByods(['register', '--url', 'https://dap.example.com/n', '--schema-id', 'abc'], {
      env: cliEnv({ WEBEX_API_BASE_URL: deadUrl, WEBEX_TOKEN: 'any' }),
      cwd: dir,
    });
    expect(withSchema.status).toBe(1);
    expect(withSchema.stderr).toContain('Could not reach Webex (Webex POST /dataSources failed (ECONNREFUSED))');
    const [record] = recordsIn(dir);
    expect(record.name).toMatch(/^data_source_registration_failed_/);
    expect(record.content).toMatchObject({ success: false, configuration: { url: 'https://dap.example.com/n', schemaId: 'abc' } });
    sim = await startByodsSim();
  });
});
