import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { assignEvent, orderEvent } from '../../sim/appdirect/events';
import { eventually, Harness, startHarness } from '../support/harness';
import { events } from './runEvents';
import { customerCreations, notifyAndSettle, OPERATOR_ENV, orderFailingAtSubscriber } from '../admin/scenarios';

describe('bad usage and configuration', () => {
  // The store settings are all the CLI reads: nothing else of the connector's configuration.
  const env = { DATA_DIR: os.tmpdir() };

  test.each([
    [[], 'a command is needed'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['show'], 'show takes one event token'],
    [['retry', 'a', 'b'], 'retry takes one event token'],
    [['list', '--limit', 'lots'], 'list takes only --limit N'],
    [['resend-invitation'], 'resend-invitation takes one e-mail address'],
    [['resend-invitation', 'not-an-email'], 'resend-invitation takes one e-mail address'],
    [['invitations', 'extra'], 'invitations takes no operand'],
    [['reconcile', '--frobnicate'], 'reconcile takes only --fix, --dry-run and --json (not --frobnicate)'],
  ])('%j exits 2 and says what is wrong in one line', async (args, message) => {
    const run = await events(args, env);
    expect(run).toMatchObject({ status: 2, stdout: '' });
    expect(run.stderr).toMatch(/^events: [^\n]+\(usage: npm run events -- --help\)\n$/);
    expect(run.stderr).toContain(message);
  });

  test('--help prints the usage and exits 0', async () => {
    const run = await events(['--help'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('list [--limit N]');
  });

  test.each([
    [{ DATABASE_URL: 'mysql://db.example.com/connector' }, 'events: DATABASE_URL: expected a postgres:// or postgresql:// URL (see .env.sample)\n'],
    [{ DATA_DIR: '"./data"' }, 'events: DATA_DIR: the value is wrapped in quotes ("…"); remove them — docker --env-file keeps quotes literally (see .env.sample)\n'],
  ])('a store setting that is wrong (%j) exits 2 with one line naming it', async (settings, message) => {
    const run = await events(['list'], { ...env, ...settings });
    expect(run).toEqual({ status: 2, stdout: '', stderr: message });
  });

  test('a DATA_DIR with no journal exits 1 in one line, instead of showing an empty one', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-journal-'));
    const run = await events(['list'], { DATA_DIR: empty });
    expect(run).toEqual({ status: 1, stdout: '', stderr: `events: there is no journal in ${empty}: set DATA_DIR to the connector's data folder, or DATABASE_URL to its database\n` });
    expect(fs.readdirSync(empty)).toEqual([]);
    fs.rmSync(empty, { recursive: true });
  });

  test('a journal that cannot be read exits 1 with one line', async () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-journal-'));
    fs.writeFileSync(path.join(broken, 'connector.sqlite'), 'this is not a database, just text long enough to be read as a header');
    const run = await events(['list'], { ...env, DATA_DIR: broken });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^events: the journal could not be read: .+\n$/);
    fs.rmSync(broken, { recursive: true });
  });
});

describe('list, show and retry on the journal of a running connector', () => {
  let h: Harness;
  let failed: { token: string; companyUuid: string };
  let resolvedToken: string;
  beforeAll(async () => {
    h = await startHarness({ env: OPERATOR_ENV });
    failed = await orderFailingAtSubscriber(h, 'Cli Pizza');
    resolvedToken = (await notifyAndSettle(h, orderEvent({ companyUuid: randomUUID(), companyName: 'Cli Foods', email: `${randomUUID().slice(0, 8)}@buyer.example.com`, firstName: 'C', lastName: 'F', editionCode: 'BASIC' }))).token;
  });
  afterAll(() => h.close());

  test('list shows a table, newest first; --json the same as data', async () => {
    // DATA_DIR alone: the connector's other settings (Webex token, AppDirect credentials...) are not needed.
    const table = await events(['list'], { DATA_DIR: h.env.DATA_DIR });
    expect(table.status).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RECEIVED\s+STATE\s+TYPE\s+COMPANY \/ ACCOUNT\s+ATTEMPTS\s+TOKEN\s+RESULT$/);
    expect(lines[1]).toMatch(new RegExp(`resolved\\s+SUBSCRIPTION_ORDER\\s+Cli Foods / \\S+\\s+1\\s+${resolvedToken}\\s+success`));
    expect(lines[2]).toMatch(new RegExp(`failed\\s+SUBSCRIPTION_ORDER\\s+Cli Pizza / ${failed.companyUuid}\\s+2\\s+${failed.token}\\s+TRANSPORT_ERROR`));

    const json = await events(['list', '--json', '--limit', '1'], h.env);
    const items = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    expect(items).toEqual([expect.objectContaining({ token: resolvedToken, state: 'resolved', company: 'Cli Foods', attempts: 1 })]);
  });

  test('show prints the event, its tracking IDs and its timeline', async () => {
    const run = await events(['show', failed.token], h.env);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^State\s+failed$/m);
    expect(run.stdout).toMatch(/^Tracking IDs\s+SIM_\S+/m);
    expect(run.stdout).toMatch(/^Retry\s+possible \(AppDirect already has the failure/m);
    expect(run.stdout).toMatch(/\nTimeline\n {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\s+notified\s+AppDirect notified/);

    const json = JSON.parse((await events(['show', failed.token, '--json'], h.env)).stdout);
    expect(json).toMatchObject({ token: failed.token, state: 'failed', attempts: 2, timeline: expect.arrayContaining([expect.objectContaining({ kind: 'retry' })]) });
  });

  test('show and retry of an unknown token, and retry of an event that did not fail, exit 1', async () => {
    expect(await events(['show', 'no-such-token'], h.env)).toMatchObject({ status: 1, stderr: 'events: no event with token no-such-token\n' });
    expect(await events(['retry', 'no-such-token'], h.env)).toMatchObject({ status: 1, stderr: 'events: no event with token no-such-token\n' });
    const refused = await events(['retry', resolvedToken], h.env);
    expect(refused).toMatchObject({ status: 1, stderr: `events: event ${resolvedToken} cannot be retried: it did not fail\n` });
  });

  test('retry queues the event; the running connector works it again and POSTs the new result', async () => {
    const run = await events(['retry', failed.token, '--json'], h.env);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ token: failed.token, queued: true, appDirectHadOutcome: true });
    await eventually(async () => expect(h.appDirect.results.filter((r) => r.token === failed.token).at(-1)?.body).toMatchObject({ success: true, accountIdentifier: failed.companyUuid }), 15_000);
    expect(customerCreations(h, failed.companyUuid)).toBe(1);
    const shown = await events(['show', failed.token], h.env);
    expect(shown.stdout).toMatch(/^State\s+resolved$/m);
    expect(shown.stdout).toContain('retry requested from the events CLI');
  });
});

describe('users waiting to accept a Webex invitation, and sending it again', () => {
  let h: Harness;
  const email = `free.${randomUUID().slice(0, 8)}@buyer.example.com`;
  let companyUuid: string;
  beforeAll(async () => {
    // Reminders a day apart: within the test only the operator's resend sends one.
    h = await startHarness({ env: { ...OPERATOR_ENV, CONSENT_RESEND_INTERVAL_MS: '86400000' } });
    companyUuid = randomUUID();
    await notifyAndSettle(h, orderEvent({ companyUuid, companyName: 'Invite Co', email: `${randomUUID().slice(0, 8)}@buyer.example.com`, firstName: 'I', lastName: 'C', editionCode: 'BASIC' }));
    h.webex.control.existingWebexAccount(email);
    await notifyAndSettle(h, assignEvent({ accountIdentifier: companyUuid, user: { email, firstName: 'Free', lastName: 'User' } }));
  });
  afterAll(() => h.close());

  test('invitations lists them, as a table and as JSON', async () => {
    const table = await events(['invitations'], h.env);
    expect(table.status).toBe(0);
    const [header, row] = table.stdout.trim().split('\n');
    expect(header).toMatch(/^USER\s+COMPANY \/ ACCOUNT\s+INVITED\s+LAST INVITATION\s+REMINDERS SENT$/);
    expect(row).toMatch(new RegExp(`^${email.replace(/\./g, '\\.')}\\s+Invite Co / ${companyUuid}\\s+\\d{4}-.* UTC\\s+\\d{4}-.* UTC\\s+0$`));
    const json = JSON.parse((await events(['invitations', '--json'], h.env)).stdout);
    expect(json).toEqual([expect.objectContaining({ email, accountId: companyUuid, company: 'Invite Co', resent: 0, resendRequested: false })]);
  });

  test('resend-invitation has the running connector ask Webex to send it again; an unknown e-mail exits 1', async () => {
    expect(h.webex.control.invitationsSent(email)).toHaveLength(1);
    const run = await events(['resend-invitation', email.toUpperCase(), '--json'], h.env);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ email: email.toUpperCase(), queued: true, accounts: [companyUuid] });
    await eventually(() => expect(h.webex.control.invitationsSent(email)).toHaveLength(2), 15_000);
    await eventually(async () => expect((await h.connector.store.accounts.user(companyUuid, email))?.invitation?.resendRequestedAt).toBeUndefined());

    const unknown = await events(['resend-invitation', 'nobody@buyer.example.com'], h.env);
    expect(unknown).toMatchObject({ status: 1, stderr: 'events: nobody with e-mail nobody@buyer.example.com is waiting to accept a Webex invitation\n' });
  });
});
