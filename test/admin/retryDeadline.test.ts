import { retryEvent } from '../../src/admin/retry';
import { ConfigError, parseConfig } from '../../src/config';
import { validEnv } from '../support/env';
import { eventually, startHarness } from '../support/harness';
import { movableClock } from '../support/movableClock';
import { OPERATOR_ENV, orderFailingAtSubscriber } from './scenarios';

test('a retried event gets a fresh provisioning deadline instead of failing at once for its age', async () => {
  // The deadline is read on the connector's clock, moved past it here: a machine under load must not reach it first.
  const clock = movableClock();
  const timeoutMs = 600_000;
  const h = await startHarness({ clock, env: { ...OPERATOR_ENV, PROVISIONING_TIMEOUT_MS: String(timeoutMs) } });
  try {
    const { token, companyUuid } = await orderFailingAtSubscriber(h);
    clock.advance(timeoutMs + 1000);
    expect(await retryEvent(h.connector.store, token, clock.now(), 'a test')).toEqual({ kind: 'queued', appDirectHadOutcome: true });
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
