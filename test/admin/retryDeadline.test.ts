import { retryEvent } from '../../src/admin/retry';
import { ConfigError, parseConfig } from '../../src/config';
import { validEnv } from '../support/env';
import { eventually, startHarness } from '../support/harness';
import { OPERATOR_ENV, orderFailingAtSubscriber } from './scenarios';

test('a retried event gets a fresh provisioning deadline instead of failing at once for its age', async () => {
  const h = await startHarness({ env: { ...OPERATOR_ENV, PROVISIONING_TIMEOUT_MS: '1000' } });
  try {
    const { token, companyUuid } = await orderFailingAtSubscriber(h);
    const { receivedAt } = (await h.connector.store.journal.get(token))!;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, receivedAt + 1100 - Date.now())));
    expect(await retryEvent(h.connector.store, token, Date.now(), 'a test')).toEqual({ kind: 'queued', appDirectHadOutcome: true });
    await eventually(async () => expect((await h.connector.store.journal.get(token))?.result).toMatchObject({ success: true, accountIdentifier: companyUuid }), 15_000);
  } finally {
    await h.close();
  }
});

test('ADMIN_TOKEN must be long, and a short one is refused without being repeated', () => {
  const attempt = () => parseConfig({ ...validEnv(), ADMIN_TOKEN: 'hunter2' });
  expect(attempt).toThrow(ConfigError);
  expect(attempt).toThrow(/ADMIN_TOKEN: expected at least 16 characters/);
  expect(attempt).not.toThrow(/hunter2/);
  expect(parseConfig({ ...validEnv(), ADMIN_TOKEN: '' }).adminToken).toBeUndefined();
});
