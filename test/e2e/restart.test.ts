import axios from 'axios';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppDirectSim, startAppDirectSim } from '../../sim/appdirect';
import { orderEvent } from '../../sim/appdirect/events';
import { startWebexSim, WebexSim } from '../../sim/webex';
import { spawnConnector } from '../support/connectorProcess';
import { SECRETS, validEnv } from '../support/env';
import { eventually } from '../support/harness';

describe('the connector as a real process', () => {
  let webex: WebexSim;
  let appDirect: AppDirectSim;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    webex = await startWebexSim({ token: SECRETS.webexToken, customerProvisioningMs: 2500, subscriberProvisioningMs: 1500 });
    appDirect = await startAppDirectSim({
      inbound: { clientId: 'connector-client', clientSecret: SECRETS.oauthClientSecret },
      outbound: { mode: 'basic', username: 'appdirect', password: SECRETS.basicPassword },
    });
  });
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'connector-proc-'));
    env = {
      ...validEnv(),
      BASE_URL_MARKETPLACE: appDirect.url,
      WEBEX_API_BASE_URL: webex.url,
      DATA_DIR: dataDir,
      PORT: '0',
      WEBEX_POLL_INTERVAL_MS: '100',
      SYNC_BUDGET_MS: '300',
      RETRY_BASE_MS: '50',
      RETRY_MAX_MS: '500',
      LOG_LEVEL: 'debug',
    };
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  afterAll(async () => {
    await Promise.all([webex.close(), appDirect.close()]);
  });

  const order = (companyUuid: string, email: string) =>
    appDirect.addEvent(orderEvent({ companyUuid, companyName: 'Restart Ltd', email, firstName: 'R', lastName: 'S', editionCode: 'webex_calling' }));

  test.each([
    ['while Webex provisions the customer', (companyUuid: string) => webex.calls.some((c) => c.method === 'POST' && c.path === '/wholesale/customers' && c.requestBody && (c.requestBody as { externalId?: string }).externalId === companyUuid)],
    ['while Webex provisions the subscriber', (_companyUuid: string, email: string) => webex.calls.some((c) => c.method === 'POST' && c.path === '/wholesale/subscribers' && (c.requestBody as { email?: string }).email === email && c.status < 300)],
  ])('killed with SIGKILL %s, it finishes the work exactly once after a restart', async (_when, reached) => {
    const companyUuid = randomUUID();
    const email = `${randomUUID().slice(0, 8)}@restart.example.com`;
    const first = spawnConnector(env);
    const { token } = order(companyUuid, email);
    const answer = await appDirect.notify(await first.url, token);
    expect(answer.status).toBe(202);
    await eventually(() => expect(reached(companyUuid, email)).toBe(true), 15_000);
    await first.kill('SIGKILL');

    const second = spawnConnector(env);
    await second.url;
    await expect(appDirect.waitForResult(token, 30_000)).resolves.toMatchObject({ success: true, accountIdentifier: companyUuid });
    await second.kill('SIGTERM');

    expect([...webex.state.customers.values()].filter((c) => c.externalId === companyUuid)).toHaveLength(1);
    expect([...webex.state.subscribers.values()].filter((s) => s.email === email)).toHaveLength(1);
    expect(appDirect.results.filter((r) => r.token === token)).toHaveLength(1);
    for (const secret of Object.values(SECRETS)) expect([...first.lines, ...second.lines].filter((l) => l.includes(secret))).toEqual([]);
  });

  test('SIGTERM stops it cleanly and a bad configuration stops the start with one clear message', async () => {
    const proc = spawnConnector(env);
    const url = await proc.url;
    expect((await axios.get(`${url}/health`)).status).toBe(200);
    expect(await proc.kill('SIGTERM')).toBe(0);

    const bad = spawnConnector({ ...env, WEBEX_TOKEN: '', CUSTOMER_PACKAGES: 'nope' });
    expect(await bad.exited).not.toBe(0);
    const text = bad.lines.join('\n');
    expect(text).toContain('WEBEX_TOKEN');
    expect(text).toContain('CUSTOMER_PACKAGES');
    expect(text).not.toMatch(/\n\s+at /); // no stack trace
  });
});
