import { randomUUID } from 'node:crypto';
import { orderEvent } from '../../sim/appdirect/events';
import { freshEmail } from '../support/deliver';
import { describeHarnessOnEachStore } from '../support/storeHarness';

describeHarnessOnEachStore('the eventType hint is anybody\'s text', { env: { EDITION_PACKAGES: '{"BASIC":"webex_meetings"}' } }, (h) => {
  test('control characters (a NUL, an escape sequence) and length are tamed in the timeline, and the order goes through', async () => {
    const { token } = h().appDirect.addEvent(orderEvent({ companyUuid: randomUUID(), companyName: 'Hint Co', email: freshEmail(), firstName: 'H', lastName: 'C', editionCode: 'BASIC' }));
    const answer = await h().appDirect.notify(h().connector.url, token, { eventType: `create\u0000\u001b[31m${'x'.repeat(200)}` });
    expect([200, 202]).toContain(answer.status);
    const [line] = await h().connector.store.journal.timeline(token);
    expect(line.detail).toBe(`AppDirect notified (eventType create\uFFFD\uFFFD[31m${'x'.repeat(52)}…)`);
    const result = answer.status === 202 ? await h().appDirect.waitForResult(token, 15_000) : answer.body;
    expect(result).toMatchObject({ success: true });
  });
});
