import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { assignEvent, orderEvent } from '../../sim/appdirect/events';
import { assertNoSecrets, eventually, Harness, startHarness } from '../support/harness';
import { describeWhen, requirement } from '../support/requirements';
import { ADMIN_TOKEN, notifyAndSettle, OPERATOR_ENV, orderFailingAtSubscriber } from './scenarios';
import { subscription } from '../reconcile/scenarios';

/** Debian's Chromium, driven by playwright-core: no browser download. TEST_CHROMIUM names another. */
const CHROMIUM = process.env.TEST_CHROMIUM ?? '/usr/bin/chromium';
/**
 * The operator page is opened as admin.corp.test and an attacker's page served from evil.corp.test: two origins of
 * one site, as sibling subdomains of a company domain are. Both names resolve to loopback inside this browser only.
 */
const OPERATOR_HOST = 'admin.corp.test';
const SIBLING_HOST = 'evil.corp.test';
// Without the background-networking switches Chromium misbehaves on a machine with no internet; it must not try
// HTTPS first for these plain-HTTP test hosts.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP *.corp.test 127.0.0.1',
  '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable',
];

const BROWSER = requirement(existsSync(CHROMIUM), `${CHROMIUM} not found (Debian: apt-get install -y chromium; or set TEST_CHROMIUM)`);

const COMPANY = 'Acme <Pizza> & "Sons"';

describeWhen(BROWSER, 'the operator page in headless Chromium', () => {
  let h: Harness;
  let tmp: string;
  let browser: BrowserContext;
  let page: Page;
  let failed: { token: string; companyUuid: string };
  let unsupportedToken: string;
  let dialogs = 0;
  /** The operator's address for the page: the connector, under the operator host name. */
  let base: string;

  beforeAll(async () => {
    // Reconciling on a schedule: the first run at start, the next when the operator asks.
    h = await startHarness({ env: { ...OPERATOR_ENV, RECONCILE_EVERY_MINUTES: '60', RECONCILE_CALLS_PER_SECOND: '50' } });
    base = `http://${OPERATOR_HOST}:${new URL(h.connector.url).port}`;
    failed = await orderFailingAtSubscriber(h, COMPANY);
    await notifyAndSettle(h, orderEvent({ companyUuid: randomUUID(), companyName: 'Fine Foods', email: `${randomUUID().slice(0, 8)}@buyer.example.com`, firstName: 'F', lastName: 'F', editionCode: 'BASIC' }));
    unsupportedToken = (await notifyAndSettle(h, { type: 'ADDON_ORDER', creator: null, payload: { company: { uuid: 'c-2', name: '<script>alert(1)</script>' } } })).token;

    tmp = mkdtempSync(path.join(os.tmpdir(), 'admin-browser-'));
    // launchPersistentContext: a fresh profile folder of our own, the equivalent of --user-data-dir.
    browser = await chromium.launchPersistentContext(path.join(tmp, 'profile'), { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
  });
  afterAll(async () => {
    await browser?.close();
    assertNoSecrets(h.logs);
    await h.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('signing in: a wrong token is refused, the right one shows the recent events', async () => {
    await page.goto(`${base}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.fill('#token', 'not-the-token-at-all');
    await page.click('button[type=submit]');
    await expect(page.textContent('[role=alert]')).resolves.toContain('That token is not right.');
    expect(await page.inputValue('#token')).toBe('');

    await page.fill('#token', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/admin');
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    const failedRow = rows.filter({ hasText: failed.token });
    expect(await failedRow.locator('.state').textContent()).toBe('failed');
    expect(await failedRow.textContent()).toContain(COMPANY);
    expect(await failedRow.textContent()).toContain('TRANSPORT_ERROR');
    expect(await failedRow.locator('td:nth-child(6)').textContent()).toBe('2');
    expect(await failedRow.locator('td.ids').textContent()).toMatch(/\S/);
    expect(await rows.filter({ hasText: 'Fine Foods' }).locator('.state').textContent()).toBe('resolved');
    expect(await page.content()).not.toContain(ADMIN_TOKEN);
  });

  test('event data is shown as text: no markup from an event runs or renders', async () => {
    expect(await page.locator('tbody tr', { hasText: '<script>alert(1)</script>' }).count()).toBe(1);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  test('the page renders (screenshot)', async () => {
    const file = path.join(tmp, 'admin-events.png');
    await page.screenshot({ path: file, fullPage: true });
    const png = readFileSync(file);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(800); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThanOrEqual(200); // IHDR height
    expect(png.length).toBeGreaterThan(10_000);
    // The styles arrived: the state badge has its colour, not the browser's default.
    expect(await page.locator('.state-failed').first().evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor)).toBe('rgb(253, 226, 225)');
  });

  test('a form on another site cannot retry an event', async () => {
    const attacker = await serveAttackerPage(`${base}/admin/events/${encodeURIComponent(unsupportedToken)}/retry`, 'localhost');
    try {
      await page.goto(attacker.url);
      await page.click('button');
      await page.waitForLoadState();
      expect(await page.textContent('main')).toContain('did not come from this operator page');
      const record = await h.connector.store.journal.get(unsupportedToken);
      expect(record).toMatchObject({ result: { success: false, errorCode: 'CONFIGURATION_ERROR' } });
      expect((await h.connector.store.journal.timeline(unsupportedToken)).map((t) => t.kind)).not.toContain('operator');
    } finally {
      attacker.server.closeAllConnections();
      await new Promise((resolve) => attacker.server.close(resolve));
    }
  });

  test('a form on a sibling subdomain, which gets the strict cookie, cannot retry an event either', async () => {
    const attacker = await serveAttackerPage(`${base}/admin/events/${encodeURIComponent(failed.token)}/retry`, SIBLING_HOST);
    try {
      await page.goto(attacker.url);
      await page.click('button');
      await page.waitForLoadState();
      expect(new URL(page.url()).host).toBe(new URL(base).host);
      expect(await page.textContent('main')).toContain('did not come from this operator page');
      expect((await h.connector.store.journal.timeline(failed.token)).map((t) => t.kind)).not.toContain('operator');
      // Over plain HTTP the browser sends no Sec-Fetch-Site; the Origin it sends names the sibling.
      expect(h.logs.some((line) => line.includes('state-changing request refused') && line.includes(`/events/${failed.token}/retry`))).toBe(true);
    } finally {
      attacker.server.closeAllConnections();
      await new Promise((resolve) => attacker.server.close(resolve));
    }
  });

  test('the detail view shows the timeline, and Retry works the event again and delivers the new result', async () => {
    await page.goto(`${base}/admin`);
    await page.click(`a:has-text("${failed.token}")`);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(3);
    expect(await page.textContent('main')).toContain('AppDirect already has this failure');
    expect(await page.textContent('main')).toMatch(/tracking ID \S+/);

    await page.click('button:has-text("Retry this event")');
    expect(await page.textContent('[role=status]')).toContain('Retry queued');
    await eventually(async () => {
      await page.reload();
      expect(await page.locator('dd .state').textContent()).toBe('resolved');
    }, 15_000, 100);
    expect(await page.textContent('main')).toContain('retry requested from the operator page');
    expect(h.appDirect.results.filter((r) => r.token === failed.token).at(-1)?.body).toMatchObject({ success: true, accountIdentifier: failed.companyUuid });
    expect(await page.locator('button:has-text("Retry this event")').count()).toBe(0);
  });

  test('users waiting for their consent are listed, and Resend invitation has Webex send it again', async () => {
    const email = `free.${randomUUID().slice(0, 8)}@buyer.example.com`;
    const companyUuid = randomUUID();
    await notifyAndSettle(h, orderEvent({ companyUuid, companyName: 'Consent <Co>', email: `${randomUUID().slice(0, 8)}@buyer.example.com`, firstName: 'C', lastName: 'C', editionCode: 'BASIC' }));
    h.webex.control.existingWebexAccount(email);
    await notifyAndSettle(h, assignEvent({ accountIdentifier: companyUuid, user: { email, firstName: 'Free', lastName: 'User' } }));

    await page.goto(`${base}/admin`);
    const row = page.locator('tr', { hasText: email, has: page.locator('button') });
    expect(await row.textContent()).toContain('Consent <Co>');
    await row.locator('button:has-text("Resend invitation")').click();
    expect(new URL(page.url()).search).toBe('?resend=queued');
    expect(await page.textContent('[role=status]')).toContain('The invitation will be sent again');
    await eventually(() => expect(h.webex.control.invitationsSent(email)).toHaveLength(2), 15_000);
  });

  test('the reconciliation page shows the last report; Reconcile now runs another, which finds drift made behind the connector\'s back', async () => {
    await eventually(async () => expect(await h.connector.store.reconciliations.latest()).toBeDefined(), 15_000);
    const company = await subscription(h, 'Drift <b>Co</b>', 'BASIC');
    const stranger = `stranger.${randomUUID().slice(0, 8)}@buyer.example.com`;
    h.webex.backstage.addSubscriber({ externalId: company.companyUuid, email: stranger, packages: ['webex_meetings'] });

    await page.goto(`${base}/admin`);
    await page.click('header a:has-text("Reconciliation")');
    expect(await page.textContent('main')).toContain('Runs every 60 minute(s) and reports drift');
    expect(await page.textContent('[role=note]')).toContain('Webex agrees with what AppDirect was told');
    await page.click('button:has-text("Reconcile now")');
    expect(new URL(page.url()).search).toBe('?run=queued');
    expect(await page.textContent('[role=status]')).toContain('A reconciliation starts within a second');
    await eventually(async () => {
      await page.reload();
      expect(await page.locator('tr.drift-subscriber_unknown').count()).toBe(1);
    }, 15_000, 200);
    const row = page.locator('tr.drift-subscriber_unknown');
    expect(await row.textContent()).toContain(stranger);
    expect(await row.textContent()).toContain('Drift <b>Co</b>');
    expect(await row.textContent()).toContain('left to the operator');
    expect(await page.locator('main b').count()).toBe(0);
    expect(await page.textContent('[role=note]')).toContain('1 difference(s) between AppDirect and Webex remain.');
    expect(await page.locator('table.kinds tr', { hasText: 'subscriber AppDirect does not know' }).locator('td:nth-child(3)').textContent()).toBe('1');
  });

  test('signing out ends the session on the server: the cookie, put back, opens nothing', async () => {
    const signedIn = await browser.cookies(`${base}/admin`);
    expect(signedIn.map((c) => c.name)).toContain('connector_admin');
    await page.click('button:has-text("Sign out")');
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await page.goto(`${base}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');

    await browser.addCookies(signedIn);
    await page.goto(`${base}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
  });
});

/** A page on another host (another site, or a sibling of the operator's) with a form that POSTs to the connector. */
async function serveAttackerPage(target: string, host: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end(`<!doctype html><form method="post" action="${target}"><button type="submit">Win a prize</button></form>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}/`, server };
}
