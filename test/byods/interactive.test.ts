import { rmSync } from 'node:fs';
import { assertBuilt, BYODS_BIN, cliEnv, recordsIn, tempDir } from './support/cli';
import { PtySession } from './support/pty';
import { startByodsSim, type ByodsSim } from './support/sim';

/** The menu driven through a real pseudo-terminal, keystroke by keystroke, as a person would. */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

let sim: ByodsSim;
let dir: string;
let session: PtySession | undefined;

beforeAll(() => assertBuilt());
beforeEach(async () => {
  sim = await startByodsSim();
  dir = tempDir();
});
afterEach(async () => {
  session?.kill();
  session = undefined;
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function startMenu(token = sim.token, args = ''): PtySession {
  session = new PtySession(`${process.execPath} ${BYODS_BIN} ${args}`, { env: cliEnv({ WEBEX_API_BASE_URL: sim.url, WEBEX_TOKEN: token, TERM: 'xterm' }), cwd: dir });
  return session;
}

/** Waits for each text in turn and types the reply, if any (none: the text is a message, not a prompt). */
async function answer(menu: PtySession, steps: Array<[string | RegExp, string?]>): Promise<void> {
  for (const [text, reply] of steps) {
    await menu.expect(text);
    if (reply !== undefined) menu.typeLine(reply);
  }
}

test('register: defaults in brackets, a bad URL and lifetime re-asked with the reason, a masked summary, then confirmation', async () => {
  sim.byods.seed({ url: 'https://dap.example.com/existing', audience: 'Existing' });
  const menu = startMenu();
  await menu.expect('BYODS data sources (1)');
  await menu.expect(/1\s+\S+\s+active\s+Existing\s+https:\/\/dap\.example\.com\/existing\s+23h 59m/);
  await answer(menu, [
    ['Choice: ', 'n'],
    ['Audience [BYODS]: ', ''],
    [new RegExp(`Nonce \\[${UUID}\\]: `), ''],
    ['2. contactCenter - Contact center media forking'],
    ['Schema number [1]: ', '2'],
    ['Subject [BYODS]: ', 'CallAudio'],
    ['URL (http:// or https://): ', 'not a url'],
    ['"not a url" is not a URL. Please try again.'],
    ['URL (http:// or https://): ', 'ftp://dap.example.com/x'],
    ['The URL must start with http:// or https://. Please try again.'],
    ['URL (http:// or https://): ', 'https://dap.example.com/typed'],
    ['Token lifetime in minutes (1-1440) [1440]: ', '0'],
    ['The token lifetime must be a whole number of minutes from 1 to 1440. Please try again.'],
    ['Token lifetime in minutes (1-1440) [1440]: ', '90'],
  ]);
  const summary = await menu.expect('Proceed with registration? (y/N): ');
  expect(summary).toMatch(/Nonce:\s+[0-9a-f]{8}\.\.\.[0-9a-f-]{8}\n/);
  expect(summary).toContain('Schema:          contactCenter (5397013b...)');
  menu.typeLine('y');
  const registered = await menu.expect(new RegExp(`Registered data source ${UUID}`));
  const id = registered.match(new RegExp(`Registered data source (${UUID})`))?.[1] ?? '';
  await menu.expect('BYODS data sources (2)');

  expect(sim.byods.dataSources.get(id)).toMatchObject({
    audience: 'BYODS',
    subject: 'CallAudio',
    url: 'https://dap.example.com/typed',
    tokenLifetimeMinutes: 90,
    schemaId: sim.byods.schemas[1].id,
  });
  const [record] = recordsIn(dir);
  expect(record.name).toMatch(new RegExp(`^data_source_registration_${id}_\\d{8}_\\d{6}\\.json$`));
  expect(record.mode).toBe(0o600);

  await answer(menu, [['Choice: ', 'q']]);
  expect(await menu.exited).toBe(0);
});

test('view shows the nonce masked and the token claims; update requires a new nonce, and disabling requires the Control Hub message', async () => {
  const source = sim.byods.seed({ url: 'https://dap.example.com/v', audience: 'ViewApp', subject: 'Media', nonce: 'abcdefgh-1111-2222-3333-ijklmnopqrst' });
  const menu = startMenu();
  await answer(menu, [['Choice: ', '1']]);
  const details = await menu.expect('Update this data source? (y/N): ');
  expect(details).toContain('Nonce:           abcdefgh...mnopqrst');
  expect(details).not.toContain(source.nonce);
  expect(details).toContain('Schema:          webService (78efc775...)');
  expect(details).toMatch(/aud:\s+ViewApp\n\s+sub:\s+Media\n\s+iss:\s+https:\/\/idbroker\.webex\.com\/idb\n\s+exp:\s+\d+ \(.+\)\n\s+iat:\s+\d+ \(/);

  menu.typeLine('y');
  await answer(menu, [
    ['Audience [ViewApp]: ', ''],
    ['Subject [Media]: ', ''],
    ['URL (http:// or https://) [https://dap.example.com/v]: ', ''],
    ['<- current'],
    ['Schema number [1]: ', ''],
    ['Token lifetime in minutes (1-1440) [1440]: ', ''],
    [new RegExp(`New nonce \\(required for every update\\) \\[${UUID}\\]: `), source.nonce],
    ['The nonce must differ from the current one. Please try again.'],
    [new RegExp(`New nonce \\(required for every update\\) \\[${UUID}\\]: `), ''],
    ['Disable this data source? (y/N): ', 'y'],
    ['Error message to show in Control Hub: ', ''],
    ['The error message must not be empty. Please try again.'],
    ['Error message to show in Control Hub: ', 'Planned maintenance'],
  ]);
  const summary = await menu.expect('Apply these changes? (y/N): ');
  expect(summary).toMatch(/Status:\s+disabled\n\s+Error message:\s+Planned maintenance/);
  menu.typeLine('y');
  await menu.expect(`Updated data source ${source.id} (disabled).`);
  await menu.expect(/1\s+\S+\s+disabled\s+ViewApp/);

  const stored = sim.byods.dataSources.get(source.id);
  expect(stored).toMatchObject({ status: 'disabled', errorMessage: 'Planned maintenance', audience: 'ViewApp', url: 'https://dap.example.com/v' });
  expect(stored?.nonce).not.toBe(source.nonce);
  expect(recordsIn(dir).map((record) => record.name)).toEqual([expect.stringMatching(new RegExp(`^data_source_update_${source.id}_`))]);

  await answer(menu, [['Choice: ', 'q']]);
  expect(await menu.exited).toBe(0);
});

test('quick extend renews one token with the chosen lifetime; refresh shows what changed meanwhile', async () => {
  sim.byods.seed({ url: 'https://dap.example.com/first' });
  const second = sim.byods.seed({ url: 'https://dap.example.com/second', tokenExpiresInMs: 5 * 60_000 });
  const menu = startMenu();
  await menu.expect(/2\s+\S+\s+active\s+BYODS\s+https:\/\/dap\.example\.com\/second\s+4m/);
  await answer(menu, [
    ['Choice: ', 'e'],
    ['Data source to extend (1-2): ', '7'],
    ['Choose a number from 1 to 2. Please try again.'],
    ['Data source to extend (1-2): ', '2'],
    ['Token lifetime in minutes (1-1440) [1440]: ', '60'],
  ]);
  await menu.expect(`Extended ${second.id}: token expires`);
  await menu.expect(/2\s+\S+\s+active\s+BYODS\s+https:\/\/dap\.example\.com\/second\s+59m/);
  expect(sim.byods.dataSources.get(second.id)).toMatchObject({ tokenLifetimeMinutes: 60, url: 'https://dap.example.com/second' });
  expect(sim.byods.dataSources.get(second.id)?.nonce).not.toBe(second.nonce);
  expect(recordsIn(dir).map((record) => record.name)).toEqual([expect.stringMatching(new RegExp(`^data_source_extend_${second.id}_`))]);

  await menu.expect('Choice: ');
  sim.byods.seed({ url: 'https://dap.example.com/appeared', audience: 'Newcomer' });
  menu.typeLine('r');
  await menu.expect('BYODS data sources (3)');
  await menu.expect(/3\s+\S+\s+active\s+Newcomer\s+https:\/\/dap\.example\.com\/appeared/);
  await answer(menu, [['Choice: ', 'q']]);
  expect(await menu.exited).toBe(0);
});

test('a data source deleted meanwhile: a clear error, a failed record, and the menu carries on', async () => {
  const source = sim.byods.seed({ url: 'https://dap.example.com/doomed' });
  const menu = startMenu();
  await menu.expect('BYODS data sources (1)');
  sim.byods.dataSources.delete(source.id);
  await answer(menu, [
    ['Choice: ', 'e'],
    ['Data source to extend (1-1): ', '1'],
    ['Token lifetime in minutes (1-1440) [1440]: ', ''],
  ]);
  const error = await menu.expect('BYODS data sources (0)');
  expect(error).toMatch(new RegExp(`byods: Data source ${source.id} does not exist \\(404\\) \\[tracking ID SIM_[^\\]]+\\]; it may have been deleted`));
  expect(error).toMatch(/details in .*data_source_extend_failed_\d{8}_\d{6}\.json/);
  expect(error).not.toMatch(/\n\s+at /);
  expect(recordsIn(dir)).toEqual([expect.objectContaining({ mode: 0o600, content: expect.objectContaining({ success: false, operation_type: 'extend' }) })]);
  await answer(menu, [['Choice: ', 'q']]);
  expect(await menu.exited).toBe(0);
});

test('delete: the data source is shown, a "no" sends nothing, a "yes" deletes it and leaves a record', async () => {
  const keep = sim.byods.seed({ url: 'https://dap.example.com/keep', audience: 'Keeper' });
  const doomed = sim.byods.seed({ url: 'https://dap.example.com/doomed', audience: 'Doomed' });
  const menu = startMenu();
  await menu.expect('d    delete a data source');
  await answer(menu, [
    ['Choice: ', 'd'],
    ['Data source to delete (1-2): ', '2'],
  ]);
  const shown = await menu.expect('Delete this data source? Webex stops sending it data; this cannot be undone. (y/N): ');
  expect(shown).toMatch(new RegExp(`ID:\\s+${doomed.id}\\n\\s+Audience:\\s+Doomed\\n\\s+URL:\\s+https://dap\\.example\\.com/doomed`));
  menu.typeLine('');
  await menu.expect('Deletion cancelled; nothing was sent.');
  await menu.expect('BYODS data sources (2)');
  expect(sim.calls.filter((call) => call.method === 'DELETE')).toEqual([]);

  await answer(menu, [
    ['Choice: ', 'd'],
    ['Data source to delete (1-2): ', '2'],
    ['(y/N): ', 'y'],
  ]);
  await menu.expect(new RegExp(`Deleted data source ${doomed.id}\\. Record: \\S+data_source_delete_${doomed.id}_\\d{8}_\\d{6}\\.json`));
  await menu.expect('BYODS data sources (1)');
  expect([...sim.byods.dataSources.keys()]).toEqual([keep.id]);
  const [record] = recordsIn(dir);
  expect(record).toMatchObject({ mode: 0o600, content: { operation_type: 'delete', success: true, data_source_id: doomed.id, api_response: { status: 204, deleted: { audience: 'Doomed', jwsToken: '[redacted]' } } } });
  expect(record.text).not.toContain(doomed.jwsToken);
  await answer(menu, [['Choice: ', 'q']]);
  expect(await menu.exited).toBe(0);
});

test('byods delete <id> on a terminal asks first: no keeps it, yes deletes it', async () => {
  const source = sim.byods.seed({ url: 'https://dap.example.com/asked', audience: 'Asked' });
  const refused = startMenu(sim.token, `delete ${source.id}`);
  await refused.expect(`Delete data source ${source.id} (Asked, https://dap.example.com/asked, active)? Webex stops sending it data; this cannot be undone. (y/N): `);
  refused.typeLine('n');
  await refused.expect('byods: Deletion cancelled; nothing was sent.');
  expect(await refused.exited).toBe(0);
  expect(sim.byods.dataSources.has(source.id)).toBe(true);
  expect(recordsIn(dir)).toEqual([]);

  const confirmed = startMenu(sim.token, `delete ${source.id}`);
  await confirmed.expect('(y/N): ');
  confirmed.typeLine('y');
  await confirmed.expect(`Deleted data source ${source.id} (Asked, https://dap.example.com/asked, active).`);
  expect(await confirmed.exited).toBe(0);
  expect(sim.byods.dataSources.has(source.id)).toBe(false);
  expect(recordsIn(dir).map((record) => record.name)).toEqual([expect.stringMatching(new RegExp(`^data_source_delete_${source.id}_`))]);
});

test('Ctrl-C in the middle of a registration leaves cleanly, sending nothing', async () => {
  const menu = startMenu();
  await answer(menu, [
    ['Choice: ', 'n'],
    ['Audience [BYODS]: ', 'Half'],
  ]);
  await menu.expect(/Nonce \[/);
  menu.pressCtrlC();
  await menu.expect('Interrupted.');
  expect(await menu.exited).toBe(130);
  expect(menu.screen).not.toMatch(/\n\s+at /);
  expect(sim.calls.filter((call) => call.method !== 'GET')).toEqual([]);
  expect(recordsIn(dir)).toEqual([]);
});

test('a menu choice that is not offered is re-asked; a rejected token at start ends with the reason', async () => {
  const menu = startMenu();
  await answer(menu, [['Choice: ', 'x']]);
  await menu.expect('Choose n, e, d, r or q. Please try again.');
  await answer(menu, [['Choice: ', 'q']]);
  expect(await menu.exited).toBe(0);

  const refused = startMenu('stale-token');
  await refused.expect('byods: Webex refused the access token in WEBEX_TOKEN (401): it has expired or was revoked. Renew WEBEX_TOKEN');
  expect(await refused.exited).toBe(1);
});

test('Ctrl-C while waiting on Webex (here a long Retry-After) leaves at once; --save-list saved the list first', async () => {
  sim.byods.seed({ url: 'https://dap.example.com/listed' });
  sim.faults.next({ status: 429, retryAfterSeconds: 50, method: 'GET', pathPrefix: '/dataSources/schemas' });
  const menu = startMenu(sim.token, '--save-list');
  await menu.expect('GET /dataSources/schemas answered 429, waiting 50.0s');
  menu.pressCtrlC();
  await menu.expect('Interrupted.');
  expect(await menu.exited).toBe(130);
  expect(menu.screen).not.toContain('BYODS data sources');
  expect(recordsIn(dir)).toEqual([]);

  const saving = startMenu(sim.token, '--save-list');
  const saved = await saving.expect(/Saved the list to \S+data_sources_list_\d{8}_\d{6}\.json/);
  expect(saved).toContain(dir);
  const [record] = recordsIn(dir);
  expect(record).toMatchObject({ mode: 0o600, content: expect.objectContaining({ count: 1 }) });
  await answer(saving, [['Choice: ', 'q']]);
  expect(await saving.exited).toBe(0);
});
