import { randomUUID } from 'node:crypto';
import { assignEvent, changeEvent, orderEvent } from '../../sim/appdirect/events';
import { consentJobId } from '../../src/provisioning/consentJobs';
import { deliver, freshEmail, personOf, subscriberOf } from '../support/deliver';
import { eventually, Harness, startHarness } from '../support/harness';

/** Invitations are sent again twice, a second apart: the whole watch takes a few seconds. */
const ENV = { EDITION_PACKAGES: '{"BASIC":"webex_meetings","PRO":"webex_calling"}', CONSENT_RESEND_COUNT: '2', CONSENT_RESEND_INTERVAL_MS: '1000' };

describe('users whose e-mail belongs to an existing Webex account (pending_user_migration)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: ENV });
  });
  afterAll(() => h.close());

  test('are answered success saying Webex invited them, and are sent the invitation again until the configured count, then no more', async () => {
    const companyUuid = randomUUID();
    await deliver(h, orderEvent({ companyUuid, companyName: 'Consent Co', email: freshEmail('owner'), firstName: 'O', lastName: 'W', editionCode: 'PRO' }));
    const user = { email: freshEmail('free'), firstName: 'Free', lastName: 'Account' };
    h.webex.control.existingWebexAccount(user.email);

    const { result } = await deliver(h, assignEvent({ accountIdentifier: companyUuid, user }));
    expect(result).toEqual({
      success: true,
      accountIdentifier: companyUuid,
      userIdentifier: subscriberOf(h, user.email)?.id,
      message: `${user.email} already has a Webex account: Webex sent them an invitation to move it to this organisation, and their service starts when they accept`,
    });
    expect(subscriberOf(h, user.email)?.status).toBe('pending_user_migration');
    expect(await h.connector.store.accounts.user(companyUuid, user.email)).toMatchObject({ status: 'pending_consent', invitation: { resent: 0 } });

    const job = consentJobId(companyUuid, user.email);
    await eventually(async () => expect((await h.connector.store.queue.get(job))?.state).toBe('done'), 15_000);
    const sent = h.webex.control.invitationsSent(user.email);
    expect(sent).toHaveLength(3); // Webex's own, and two sent again through consentMove
    expect(sent[2] - sent[1]).toBeGreaterThanOrEqual(1000);
    expect(h.webex.calls.filter((c) => c.path.endsWith('/emails/consentMove')).map((c) => c.status)).toEqual([204, 204]);
    expect(await h.connector.store.accounts.user(companyUuid, user.email)).toMatchObject({ status: 'pending_consent', invitation: { resent: 2 } });
  });

  test('once the user accepts, their service starts with the packages the subscription has then', async () => {
    const companyUuid = randomUUID();
    const buyer = freshEmail('buyer');
    h.webex.control.existingWebexAccount(buyer);
    const { result } = await deliver(h, orderEvent({ companyUuid, companyName: 'Late Consent Co', email: buyer, firstName: 'Bu', lastName: 'Yer', editionCode: 'BASIC' }));
    expect(result).toMatchObject({ success: true, message: expect.stringContaining('their service starts when they accept') });
    expect(personOf(h, buyer)).toBeUndefined();

    // The subscription moves to calling while the buyer has not accepted yet: Webex cannot update them now.
    expect((await deliver(h, changeEvent({ accountIdentifier: companyUuid, editionCode: 'PRO' }))).result).toMatchObject({ success: true });
    expect(subscriberOf(h, buyer)?.packages).toEqual(['webex_meetings']);

    h.webex.control.acceptInvitation(buyer);
    await eventually(async () => expect((await h.connector.store.accounts.user(companyUuid, buyer))?.status).toBe('active'), 15_000);
    const subscriber = subscriberOf(h, buyer)!;
    expect(subscriber).toMatchObject({ status: 'provisioned', packages: ['webex_calling'] });
    expect(subscriber.provisioningParameters.extension).toMatch(/^\d{4}$/);
    expect(personOf(h, buyer)?.orgId).toBeDefined();
    expect((await h.connector.store.queue.get(consentJobId(companyUuid, buyer)))?.state).toBe('done');
  });
});
