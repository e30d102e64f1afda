import { randomUUID } from 'node:crypto';
import { loadOpenApiContract } from '../../sim/contract/openapi';
import { assignEvent, cancelEvent, changeEvent, noticeEvent, orderEvent, unassignEvent } from '../../sim/appdirect/events';
import { Harness, startHarness } from '../support/harness';
import { describeWithContract, OPENAPI_DIR } from '../support/openapi';

describeWithContract('every request the connector sends to Webex follows the official OpenAPI contract', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { EDITION_PACKAGES: '{"BASIC":"webex_meetings","PRO":"webex_calling"}' } });
  });
  afterAll(() => h.close());

  test('a whole subscription story produces no contract violation', async () => {
    const companyUuid = randomUUID();
    const play = async (event: Record<string, unknown>) => {
      const { token } = h.appDirect.addEvent(event);
      const answer = await h.appDirect.notify(h.connector.url, token);
      const result = answer.status === 202 ? await h.appDirect.waitForResult(token, 15_000) : answer.body;
      expect(result).toMatchObject({ success: true });
    };
    await play(orderEvent({ companyUuid, companyName: 'Contract Co', email: 'owner@contract.example.com', firstName: 'O', lastName: 'W', editionCode: 'BASIC' }));
    await play(assignEvent({ accountIdentifier: companyUuid, user: { email: 'second@contract.example.com', firstName: 'S', lastName: 'E' } }));
    await play(changeEvent({ accountIdentifier: companyUuid, email: 'owner@contract.example.com', editionCode: 'PRO' }));
    await play(unassignEvent({ accountIdentifier: companyUuid, user: { email: 'second@contract.example.com', firstName: 'S', lastName: 'E' } }));
    await play(noticeEvent({ accountIdentifier: companyUuid, type: 'DEACTIVATED' }));
    await play(cancelEvent({ accountIdentifier: companyUuid }));

    const report = loadOpenApiContract(OPENAPI_DIR).checkCalls(h.webex.calls);
    expect(report.violations).toEqual([]);
    // The story must have exercised the wholesale API, or an empty report would mean nothing.
    expect(report.checked).toBeGreaterThanOrEqual(10);
  });
});
