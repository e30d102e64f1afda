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
import { deliver } from '../support/deliver';
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
});
