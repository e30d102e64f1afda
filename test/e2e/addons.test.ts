import { randomUUID } from 'node:crypto';
import { addonCancelEvent, addonChangeEvent, addonOrderEvent, assignEvent, cancelEvent, changeEvent, orderEvent } from '../../sim/appdirect/events';
import { customerOf, deliver, freshEmail, subscriberOf } from '../support/deliver';
import { Harness, startHarness } from '../support/harness';

const ENV = {
  EDITION_PACKAGES: '{"BASIC":"webex_meetings","PRO":"webex_calling"}',
  // AC is mapped; the other add-ons are ordered under their Webex package names, the default mapping.
  ADDON_PACKAGES: '{"AC":"attendant_console"}',
};

describe('add-ons, as AppDirect sends them', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: ENV });
  });
  afterAll(() => h.close());

  /** A PRO (webex_calling) subscription with its buyer and one more user. */
  async function subscription(edition = 'PRO') {
    const companyUuid = randomUUID();
    const buyer = freshEmail('buyer');
    const colleague = { email: freshEmail('colleague'), firstName: 'Col', lastName: 'League' };
    expect((await deliver(h, orderEvent({ companyUuid, companyName: 'Addon Co', email: buyer, firstName: 'Ada', lastName: 'L', editionCode: edition }))).result).toMatchObject({ success: true });
    expect((await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: colleague }))).result).toMatchObject({ success: true });
    return { companyUuid, users: [buyer, colleague.email] };
  }

  test('a subscriber-level add-on goes on every subscriber of its subscription and answers with its own accountIdentifier', async () => {
    const { companyUuid, users } = await subscription();
    const { result } = await deliver(h, addonOrderEvent({ parentAccountIdentifier: companyUuid, companyUuid, editionCode: 'AC' }));
    expect(result).toMatchObject({ success: true, accountIdentifier: expect.any(String) });
    const addonId = (result as { accountIdentifier: string }).accountIdentifier;
    expect(addonId).not.toBe(companyUuid);
    for (const email of users) expect(subscriberOf(h, email)?.packages).toEqual(['webex_calling', 'attendant_console']);
    expect(customerOf(h, companyUuid)?.packages).toContain('attendant_console');
    expect(await h.connector.store.accounts.get(addonId)).toMatchObject({ parentAccountId: companyUuid, package: 'attendant_console', packageLevel: 'subscriber', status: 'active', addedToCustomer: true });

    // A user assigned later gets the subscription's packages as they are now: the edition's and the add-on's.
    const later = { email: freshEmail('later'), firstName: 'La', lastName: 'Ter' };
    expect((await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: later }))).result).toMatchObject({ success: true });
    expect(subscriberOf(h, later.email)?.packages).toEqual(['webex_calling', 'attendant_console']);

    // Cancelling the add-on takes exactly its package away, and off the customer, which did not have it before.
    expect((await deliver(h, addonCancelEvent({ accountIdentifier: addonId, parentAccountIdentifier: companyUuid }))).result).toMatchObject({ success: true, accountIdentifier: addonId });
    for (const email of [...users, later.email]) expect(subscriberOf(h, email)?.packages).toEqual(['webex_calling']);
    expect(customerOf(h, companyUuid)?.packages).toEqual(['webex_calling', 'webex_meetings']);
    expect((await h.connector.store.accounts.get(addonId))?.status).toBe('cancelled');
  });

  test('an add-on whose package needs Webex Calling is refused on a meetings subscription, and nothing changes', async () => {
    const { companyUuid, users } = await subscription('BASIC');
    const { result } = await deliver(h, addonOrderEvent({ parentAccountIdentifier: companyUuid, editionCode: 'STANDARD', addonOfferingCode: 'AC' }));
    expect(result).toEqual({
      success: false,
      errorCode: 'INVALID_OPERATION',
      message: expect.stringContaining('attendant_console is dependent on one of: webex_calling, webex_suite, cx_essentials'),
    });
    for (const email of users) expect(subscriberOf(h, email)?.packages).toEqual(['webex_meetings']);
    expect(customerOf(h, companyUuid)?.packages).toEqual(['webex_calling', 'webex_meetings']);
  });

  test('a customer-level add-on goes on the customer only; a change of the subscription keeps it, and the subscription\'s cancellation takes it away', async () => {
    const { companyUuid, users } = await subscription();
    const { result } = await deliver(h, addonOrderEvent({ parentAccountIdentifier: companyUuid, editionCode: 'cisco_calling_plan' }));
    expect(result).toMatchObject({ success: true, message: expect.stringContaining('added to the Webex customer') });
    const addonId = (result as { accountIdentifier: string }).accountIdentifier;
    expect(customerOf(h, companyUuid)?.packages).toEqual(['webex_calling', 'webex_meetings', 'cisco_calling_plan']);
    for (const email of users) expect(subscriberOf(h, email)?.packages).toEqual(['webex_calling']);

    expect((await deliver(h, changeEvent({ accountIdentifier: companyUuid, editionCode: 'BASIC' }))).result).toMatchObject({ success: true });
    for (const email of users) expect(subscriberOf(h, email)?.packages).toEqual(['webex_meetings']);

    expect((await deliver(h, cancelEvent({ accountIdentifier: companyUuid }))).result).toMatchObject({ success: true, message: expect.stringContaining('1 add-on(s)') });
    expect(customerOf(h, companyUuid)?.packages).toEqual(['webex_calling', 'webex_meetings']);
    expect((await h.connector.store.accounts.get(addonId))?.status).toBe('cancelled');
    // AppDirect may still cancel the add-on itself afterwards: it is already gone, which is success.
    expect((await deliver(h, addonCancelEvent({ accountIdentifier: addonId, parentAccountIdentifier: companyUuid }))).result).toMatchObject({ success: true, accountIdentifier: addonId });
  });

  test('a change of an add-on swaps its package; a change of the subscription that would break an add-on is refused', async () => {
    const { companyUuid, users } = await subscription();
    const ordered = (await deliver(h, addonOrderEvent({ parentAccountIdentifier: companyUuid, editionCode: 'AC' }))).result as { accountIdentifier: string };

    const broken = await deliver(h, changeEvent({ accountIdentifier: companyUuid, editionCode: 'BASIC' }));
    expect(broken.result).toEqual({ success: false, errorCode: 'INVALID_OPERATION', message: expect.stringContaining(`cancel add-on ${ordered.accountIdentifier} first`) });
    for (const email of users) expect(subscriberOf(h, email)?.packages).toEqual(['webex_calling', 'attendant_console']);

    const swapped = await deliver(h, addonChangeEvent({ accountIdentifier: ordered.accountIdentifier, parentAccountIdentifier: companyUuid, editionCode: 'cx_standard_agent' }));
    expect(swapped.result).toMatchObject({ success: true, accountIdentifier: ordered.accountIdentifier });
    for (const email of users) expect(subscriberOf(h, email)?.packages).toEqual(['webex_calling', 'cx_standard_agent']);
    expect(customerOf(h, companyUuid)?.packages).toEqual(['webex_calling', 'webex_meetings', 'cx_standard_agent']);
  });

  test('an add-on of a subscription the connector does not know is ACCOUNT_NOT_FOUND; a package of unknown level is a CONFIGURATION_ERROR', async () => {
    expect((await deliver(h, addonOrderEvent({ parentAccountIdentifier: 'no-such-subscription', editionCode: 'AC' }))).result).toMatchObject({ success: false, errorCode: 'ACCOUNT_NOT_FOUND' });
    const { companyUuid } = await subscription();
    const { result } = await deliver(h, addonOrderEvent({ parentAccountIdentifier: companyUuid, editionCode: 'GOLD_SUPPORT' }));
    expect(result).toEqual({ success: false, errorCode: 'CONFIGURATION_ERROR', message: expect.stringContaining('map GOLD_SUPPORT in ADDON_PACKAGES') });
  });
});
