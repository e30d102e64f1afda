import { randomUUID } from 'node:crypto';
import { loadOpenApiContract } from '../../sim/contract/openapi';
import {
  addonCancelEvent,
  addonOrderEvent,
  assignEvent,
  cancelEvent,
  changeEvent,
  noticeEvent,
  orderEvent,
  unassignEvent,
  userUpdatedEvent,
} from '../../sim/appdirect/events';
import axios from 'axios';
import { customerOf, deliver } from '../support/deliver';
import { SECRETS } from '../support/env';
import { events } from '../cli/runEvents';
import { subscription } from '../reconcile/scenarios';
import { eventually, Harness, startHarness } from '../support/harness';
import { describeWithContract, OPENAPI_DIR } from '../support/openapi';

describeWithContract('every request the connector sends to Webex follows the official OpenAPI contract', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { EDITION_PACKAGES: '{"BASIC":"webex_meetings","PRO":"webex_calling"}', SUSPENDED_ACCOUNT_POLICY: 'remove', CONSENT_RESEND_COUNT: '1', CONSENT_RESEND_INTERVAL_MS: '1000' },
    });
  });
  afterAll(() => h.close());

  test('a whole subscription story, add-ons, renames, invitations and suspension included, produces no contract violation', async () => {
    const companyUuid = randomUUID();
    const play = async (event: Record<string, unknown>) => {
      const { result } = await deliver(h, event);
      // The whole result, so that a failure says which step failed and why.
      if (!(result as { success?: boolean }).success) throw new Error(`${String(event.type)} failed: ${JSON.stringify(result)}`);
      return result as { accountIdentifier: string };
    };
    const second = { email: 'second@contract.example.com', firstName: 'S', lastName: 'E', uuid: randomUUID() };
    await play(orderEvent({ companyUuid, companyName: 'Contract Co', email: 'owner@contract.example.com', firstName: 'O', lastName: 'W', editionCode: 'BASIC' }));
    await play(assignEvent({ accountIdentifier: companyUuid, user: second }));
    await play(changeEvent({ accountIdentifier: companyUuid, email: 'owner@contract.example.com', editionCode: 'PRO' }));
    const attendant = await play(addonOrderEvent({ parentAccountIdentifier: companyUuid, editionCode: 'attendant_console' }));
    const plan = await play(addonOrderEvent({ parentAccountIdentifier: companyUuid, editionCode: 'cisco_calling_plan' }));
    await play(userUpdatedEvent({ accountIdentifier: companyUuid, user: { ...second, firstName: 'Renamed' } }));
    h.webex.control.existingWebexAccount('free@contract.example.com');
    await play(assignEvent({ accountIdentifier: companyUuid, user: { email: 'free@contract.example.com', firstName: 'F', lastName: 'R' } }));
    await eventually(() => expect(h.webex.countCalls({ method: 'POST', pathPrefix: '/subscribers/' })).toBe(1), 15_000);
    await play(addonCancelEvent({ accountIdentifier: attendant.accountIdentifier, parentAccountIdentifier: companyUuid }));
    await play(unassignEvent({ accountIdentifier: companyUuid, user: second }));
    await play(noticeEvent({ accountIdentifier: companyUuid, type: 'DEACTIVATED' }));
    await play(noticeEvent({ accountIdentifier: companyUuid, type: 'REACTIVATED' }));
    await play(cancelEvent({ accountIdentifier: companyUuid }));
    expect((await h.connector.store.accounts.get(plan.accountIdentifier))?.status).toBe('cancelled');

    const contract = loadOpenApiContract(OPENAPI_DIR);
    const report = contract.checkCalls(h.webex.calls);
    expect(report.violations).toEqual([]);
    // The story must have exercised the wholesale and people APIs, or an empty report would mean nothing.
    const operations = new Set(h.webex.calls.map((call) => contract.operationOf(call)));
    for (const operation of ['PUT /wholesale/customers/{customerId}', 'PUT /wholesale/subscribers/{subscriberId}', 'POST /subscribers/{subscriberId}/emails/consentMove', 'GET /people/{personId}', 'PUT /people/{personId}']) {
      expect(operations).toContain(operation);
    }
    expect(report.checked).toBeGreaterThanOrEqual(30);
  });

  test('a reconciliation with --fix, a customer package repaired included, produces no contract violation', async () => {
    const company = await subscription(h, 'Reconciled Co', 'PRO', 1);
    const plan = await deliver(h, addonOrderEvent({ parentAccountIdentifier: company.companyUuid, editionCode: 'cisco_calling_plan' }));
    expect(plan.result).toMatchObject({ success: true });
    // Someone takes the add-on's package off the customer through the API; another user is deleted in Control Hub.
    const customer = customerOf(h, company.companyUuid)!;
    const api = axios.create({ baseURL: h.webex.url, headers: { Authorization: `Bearer ${SECRETS.webexToken}` } });
    await api.put(`/wholesale/customers/${customer.id}`, { packages: customer.packages.filter((p) => p !== 'cisco_calling_plan') });
    await eventually(() => expect(customerOf(h, company.companyUuid)?.status).toBe('provisioned'));
    h.webex.backstage.deleteSubscriber(company.users[1]);

    const before = h.webex.calls.length;
    const run = await events(['reconcile', '--fix', '--json'], { ...h.env, RECONCILE_CALLS_PER_SECOND: '50' });
    // The customer gets its package back first; its missing user waits for the next run (Webex updates the customer meanwhile).
    expect(JSON.parse(run.stdout).drift.map((d: { kind: string; resolution: { kind: string } }) => [d.kind, d.resolution.kind])).toEqual([
      ['wrong_packages', 'repaired'],
      ['subscriber_missing', 'later'],
    ]);
    expect(customerOf(h, company.companyUuid)?.packages).toContain('cisco_calling_plan');
    await eventually(() => expect(customerOf(h, company.companyUuid)?.status).toBe('provisioned'));
    expect((await events(['reconcile', '--fix'], { ...h.env, RECONCILE_CALLS_PER_SECOND: '50' })).status).toBe(0);
    const all = h.webex.calls.slice(before);

    const contract = loadOpenApiContract(OPENAPI_DIR);
    expect(contract.checkCalls(all).violations).toEqual([]);
    const operations = new Set(all.map((call) => contract.operationOf(call)));
    for (const operation of ['GET /wholesale/customers', 'GET /wholesale/subscribers', 'PUT /wholesale/customers/{customerId}', 'POST /wholesale/subscribers']) expect(operations).toContain(operation);
  });
});
