import type { AccountFacts } from '../../src/store/accounts';
import { describeOnEachStore, freshStoreEachTest } from './storeKinds';

const subscription: AccountFacts = {
  accountId: 'company-1',
  companyUuid: 'company-1',
  companyName: 'Acme',
  customerId: 'cust-1',
  orgId: 'org-1',
  status: 'active',
  editionCode: 'PRO',
  package: 'webex_calling',
  addedToCustomer: false,
  seats: 5,
};

const addon: AccountFacts = {
  accountId: 'addon-1',
  parentAccountId: 'company-1',
  companyUuid: 'company-1',
  customerId: 'cust-1',
  orgId: 'org-1',
  status: 'active',
  editionCode: 'AC',
  package: 'attendant_console',
  packageLevel: 'subscriber',
  addedToCustomer: true,
};

describeOnEachStore('the account memory', (kind) => {
  const { store, reopen } = freshStoreEachTest(kind);

  test('remembers a subscription and its add-ons, and a repeated write changes nothing but what it says', async () => {
    const accounts = store().accounts;
    await accounts.remember(subscription, 1000);
    await accounts.remember(addon, 1001);
    await accounts.remember(addon, 1002);
    expect(await accounts.get('company-1')).toEqual({ ...subscription, parentAccountId: undefined, packageLevel: undefined, createdAt: 1000, updatedAt: 1000 });
    expect(await accounts.get('addon-1')).toMatchObject({ ...addon, seats: undefined, createdAt: 1001, updatedAt: 1002 });
    expect((await accounts.addonsOf('company-1')).map((a) => a.accountId)).toEqual(['addon-1']);
    expect((await accounts.all()).map((a) => a.accountId)).toEqual(['company-1', 'addon-1']);
    expect(await accounts.get('unknown')).toBeUndefined();

    await accounts.remember({ ...subscription, package: 'webex_suite', seats: undefined }, 2000);
    await accounts.setStatus('company-1', 'suspended', 2001);
    const after = await (await reopen()).accounts.get('company-1');
    expect(after).toMatchObject({ package: 'webex_suite', seats: undefined, status: 'suspended', createdAt: 1000, updatedAt: 2001 });
  });

  test('keeps users by lower-case e-mail, finds them by AppDirect UUID, and sets their packages and status', async () => {
    const accounts = store().accounts;
    await accounts.remember(subscription, 1000);
    await accounts.rememberUser({ accountId: 'company-1', email: 'Ada@Acme.example', appDirectUuid: 'uuid-ada', firstName: 'Ada', subscriberId: 'sub-1', packages: ['webex_calling'], extension: '1234', locationId: 'loc-1', status: 'active' }, 1000);
    await accounts.rememberUser({ accountId: 'company-1', email: 'bob@acme.example', packages: ['webex_calling'], status: 'active' }, 1001);
    expect(await accounts.user('company-1', 'ADA@acme.example')).toMatchObject({ email: 'ada@acme.example', subscriberId: 'sub-1', extension: '1234', packages: ['webex_calling'] });
    expect(await accounts.userByAppDirectUuid('company-1', 'uuid-ada')).toMatchObject({ email: 'ada@acme.example' });

    await accounts.setUserPackages('company-1', ['webex_calling', 'attendant_console'], 1100);
    await accounts.setUserStatus('company-1', 'bob@acme.example', 'suspended', 1100);
    expect((await accounts.users('company-1')).map((u) => [u.email, u.packages, u.status])).toEqual([
      ['ada@acme.example', ['webex_calling', 'attendant_console'], 'active'],
      ['bob@acme.example', ['webex_calling', 'attendant_console'], 'suspended'],
    ]);

    await accounts.forgetUser('company-1', 'BOB@acme.example');
    expect((await accounts.users('company-1')).map((u) => u.email)).toEqual(['ada@acme.example']);
    await accounts.forgetUsers('company-1');
    expect(await accounts.users('company-1')).toEqual([]);
  });

  test('tracks invitations of users waiting for consent, and an operator\'s request for one more', async () => {
    const accounts = store().accounts;
    await accounts.remember(subscription, 1000);
    await accounts.rememberUser({ accountId: 'company-1', email: 'free@acme.example', subscriberId: 'sub-9', packages: ['webex_calling'], status: 'pending_consent' }, 1000);
    await accounts.recordInvited('company-1', 'free@acme.example', 1000);
    await accounts.recordInvited('company-1', 'free@acme.example', 5000); // a repeated attempt records nothing new
    await accounts.recordInvitationResent('company-1', 'free@acme.example', 'schedule', 2000);
    expect((await accounts.user('company-1', 'free@acme.example'))?.invitation).toEqual({ invitedAt: 1000, lastInvitedAt: 2000, resent: 1, resendRequestedAt: undefined });

    expect(await accounts.requestResend('nobody@acme.example', 3000)).toEqual([]);
    expect((await accounts.requestResend('FREE@acme.example', 3000)).map((u) => u.email)).toEqual(['free@acme.example']);
    // writing the user again (a change of package, say) keeps the invitation
    await accounts.rememberUser({ accountId: 'company-1', email: 'free@acme.example', subscriberId: 'sub-9', packages: ['webex_suite'], status: 'pending_consent' }, 3100);
    const [pending] = await accounts.pendingConsent();
    expect(pending.account.accountId).toBe('company-1');
    expect(pending.user).toMatchObject({ packages: ['webex_suite'], invitation: { invitedAt: 1000, resent: 1, resendRequestedAt: 3000 } });

    await accounts.recordInvitationResent('company-1', 'free@acme.example', 'operator', 3200);
    expect((await accounts.user('company-1', 'free@acme.example'))?.invitation).toEqual({ invitedAt: 1000, lastInvitedAt: 3200, resent: 1, resendRequestedAt: undefined });
    await accounts.setUserStatus('company-1', 'free@acme.example', 'active', 4000);
    expect(await accounts.pendingConsent()).toEqual([]);
  });

  test('a write inside a transaction that rolls back leaves nothing', async () => {
    await expect(
      store().transaction(async (tx) => {
        await tx.accounts.remember(subscription, 1000);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await store().accounts.get('company-1')).toBeUndefined();
  });
});
