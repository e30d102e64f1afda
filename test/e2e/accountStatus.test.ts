import { randomUUID } from 'node:crypto';
import { addonOrderEvent, assignEvent, noticeEvent, orderEvent } from '../../sim/appdirect/events';
import { customerOf, deliver, freshEmail, personOf, subscriberOf } from '../support/deliver';
import { Harness, startHarness } from '../support/harness';

const EDITIONS = { EDITION_PACKAGES: '{"BASIC":"webex_meetings","PRO":"webex_calling"}' };

/** A calling subscription with two users and an attendant console add-on. */
async function subscription(h: Harness) {
  const companyUuid = randomUUID();
  const buyer = freshEmail('buyer');
  const colleague = { email: freshEmail('colleague'), firstName: 'Col', lastName: 'League' };
  await deliver(h, orderEvent({ companyUuid, companyName: 'Status Co', email: buyer, firstName: 'Bu', lastName: 'Yer', editionCode: 'PRO', seats: 5 }));
  await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: colleague }));
  expect((await deliver(h, addonOrderEvent({ parentAccountIdentifier: companyUuid, editionCode: 'attendant_console' }))).result).toMatchObject({ success: true });
  return { companyUuid, users: [buyer, colleague.email] };
}

const notice = async (h: Harness, accountIdentifier: string, type: 'DEACTIVATED' | 'REACTIVATED' | 'CLOSED') => {
  const { answer } = await deliver(h, noticeEvent({ accountIdentifier, type }));
  expect(answer.status).toBe(200);
  return answer.body;
};

describe('account status notices with SUSPENDED_ACCOUNT_POLICY=keep (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: EDITIONS });
  });
  afterAll(() => h.close());

  test('DEACTIVATED keeps the Webex users and marks the account suspended; REACTIVATED marks it active', async () => {
    const { companyUuid, users } = await subscription(h);
    expect(await notice(h, companyUuid, 'DEACTIVATED')).toMatchObject({ success: true, message: expect.stringContaining('keep their service') });
    for (const email of users) expect(subscriberOf(h, email)).toBeDefined();
    expect((await h.connector.store.accounts.get(companyUuid))?.status).toBe('suspended');
    expect(await notice(h, companyUuid, 'REACTIVATED')).toMatchObject({ success: true, message: 'Account reactivated' });
    expect((await h.connector.store.accounts.get(companyUuid))?.status).toBe('active');
  });

  test('CLOSED removes everything and marks the account closed', async () => {
    const { companyUuid, users } = await subscription(h);
    expect(await notice(h, companyUuid, 'CLOSED')).toMatchObject({ success: true, message: 'Removed 2 Webex user(s) and 1 add-on(s)' });
    for (const email of users) {
      expect(subscriberOf(h, email)).toBeUndefined();
      expect(personOf(h, email)).toBeUndefined();
    }
    expect(customerOf(h, companyUuid)?.packages).toEqual(['webex_calling', 'webex_meetings']);
    expect(await h.connector.store.accounts.get(companyUuid)).toMatchObject({ status: 'closed' });
    expect(await h.connector.store.accounts.users(companyUuid)).toEqual([]);
    expect((await h.connector.store.accounts.addonsOf(companyUuid)).map((a) => a.status)).toEqual(['cancelled']);
  });
});

describe('account status notices with SUSPENDED_ACCOUNT_POLICY=remove', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...EDITIONS, SUSPENDED_ACCOUNT_POLICY: 'remove' } });
  });
  afterAll(() => h.close());

  test('DEACTIVATED removes the users while remembering them; REACTIVATED brings back the same users with the same packages', async () => {
    const { companyUuid, users } = await subscription(h);
    const extensions = users.map((email) => subscriberOf(h, email)?.provisioningParameters.extension);

    expect(await notice(h, companyUuid, 'DEACTIVATED')).toMatchObject({ success: true, message: 'Account suspended: 2 Webex user(s) removed until it is reactivated' });
    for (const email of users) {
      expect(subscriberOf(h, email)).toBeUndefined();
      expect(personOf(h, email)).toBeUndefined();
    }
    expect((await h.connector.store.accounts.users(companyUuid)).map((u) => u.status)).toEqual(['suspended', 'suspended']);
    const refused = await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: { email: freshEmail('during'), firstName: 'D', lastName: 'S' } }));
    expect(refused.result).toMatchObject({ success: false, errorCode: 'INVALID_OPERATION', message: expect.stringContaining('is suspended') });

    expect(await notice(h, companyUuid, 'REACTIVATED')).toMatchObject({ success: true, message: 'Account reactivated: 2 Webex user(s) provisioned again' });
    users.forEach((email, i) => {
      expect(subscriberOf(h, email)).toMatchObject({ packages: ['webex_calling', 'attendant_console'], provisioningParameters: { extension: extensions[i] } });
    });
    expect(await h.connector.store.accounts.get(companyUuid)).toMatchObject({ status: 'active' });
    expect((await h.connector.store.accounts.users(companyUuid)).map((u) => u.status)).toEqual(['active', 'active']);
  });
});
