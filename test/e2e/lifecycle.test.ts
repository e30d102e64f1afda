import { randomUUID } from 'node:crypto';
import { assignEvent, changeEvent, orderEvent, orderWithoutCreatorEvent, unassignEvent, userUpdatedEvent } from '../../sim/appdirect/events';
import { customerOf, deliver, freshEmail, personOf, subscriberOf } from '../support/deliver';
import { Harness, startHarness } from '../support/harness';

const ENV = {
  EDITION_PACKAGES: '{"BASIC":"webex_meetings","PRO":"webex_calling"}',
  COUNTRY_ADDRESSES: JSON.stringify({ CA: { address: '100 King St W', city: 'Toronto', state: 'ON', zip: 'M5X 1A9', timezone: 'America/Toronto' } }),
};

const person = (who: string) => ({ email: freshEmail(who), firstName: who, lastName: 'Tester' });

describe('the subscription lifecycle as real marketplaces send it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: ENV });
  });
  afterAll(() => h.close());

  describe('orders without a creator', () => {
    test('create the customer from the company, with no subscriber; users arrive by assignment', async () => {
      const companyUuid = randomUUID();
      const { result } = await deliver(h, orderWithoutCreatorEvent({ companyUuid, companyName: 'Api Order Co', companyEmail: 'it@api-order.example.com', editionCode: 'PRO' }));
      expect(result).toMatchObject({ success: true, accountIdentifier: companyUuid, message: expect.stringContaining('users are added as AppDirect assigns them') });
      expect(customerOf(h, companyUuid)?.customerInfo?.primaryEmail).toBe('it@api-order.example.com');
      expect([...h.webex.state.subscribers.values()].filter((s) => s.customerId === customerOf(h, companyUuid)?.id)).toEqual([]);

      const first = person('first');
      expect((await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: first }))).result).toMatchObject({ success: true });
      expect(subscriberOf(h, first.email)?.packages).toEqual(['webex_calling']);
    });

    test('with neither a creator nor a company e-mail are INVALID_RESPONSE naming both fields', async () => {
      const { result } = await deliver(h, orderWithoutCreatorEvent({ companyUuid: randomUUID(), companyName: 'No Mail', companyEmail: null, editionCode: 'PRO' }));
      expect(result).toEqual({
        success: false,
        errorCode: 'INVALID_RESPONSE',
        message: 'AppDirect returned an unusable event: event field creator.email or payload.company.email is required for SUBSCRIPTION_ORDER',
      });
    });
  });

  describe('addresses', () => {
    const ordered = async (input: Partial<Parameters<typeof orderEvent>[0]>) => {
      const companyUuid = randomUUID();
      const event = orderEvent({ companyUuid, companyName: 'Where Co', email: freshEmail('where'), firstName: 'W', lastName: 'C', editionCode: 'BASIC', ...input });
      return { companyUuid, ...(await deliver(h, event)) };
    };

    test("the company's country wins, with the address and time zone configured for it", async () => {
      const { companyUuid, result } = await ordered({ country: 'CA' });
      expect(result).toMatchObject({ success: true });
      const customer = customerOf(h, companyUuid)!;
      expect(customer.address).toEqual({ addressLine1: '100 King St W', city: 'Toronto', stateOrProvince: 'ON', zipOrPostalCode: 'M5X 1A9', country: 'CA' });
      const create = h.webex.calls.find((c) => c.method === 'POST' && c.path === '/wholesale/customers' && JSON.stringify(c.requestBody).includes(companyUuid))!;
      expect(create.requestBody).toMatchObject({ provisioningParameters: { calling: { location: { timezone: 'America/Toronto', address: { country: 'CA' } } }, meetings: { timezone: 'America/Toronto' } } });
    });

    test("a complete creator address in the company's country is used as it is", async () => {
      const address = { street1: '1 Rue Sainte-Catherine', city: 'Montréal', state: 'QC', zip: 'H2X 1K4', country: 'CA' };
      const { companyUuid } = await ordered({ address, country: 'CA' });
      expect(customerOf(h, companyUuid)!.address).toEqual({ addressLine1: '1 Rue Sainte-Catherine', addressLine2: undefined, city: 'Montréal', stateOrProvince: 'QC', zipOrPostalCode: 'H2X 1K4', country: 'CA' });
    });

    test('a partial creator address never mixes with the default one', async () => {
      const noCity = { street1: '9 Lonely Road', city: '', state: 'TX', zip: '', country: 'US' };
      const defaultAddress = { addressLine1: '771 Alder Drive', city: 'Milpitas', stateOrProvince: 'CA', zipOrPostalCode: '95035', country: 'US' };
      expect(customerOf(h, (await ordered({ address: noCity, country: null })).companyUuid)!.address).toEqual(defaultAddress);
      // Street and city but no country anywhere: not assumed to be in the default country.
      const noCountry = { street1: '9 Lonely Road', city: 'Austin', state: 'TX', zip: '73301', country: '' };
      expect(customerOf(h, (await ordered({ address: noCountry, country: null })).companyUuid)!.address).toEqual(defaultAddress);
      // Complete without state and ZIP code: used without them, never with the default's.
      const noZip = { street1: '9 Lonely Road', city: 'Austin', state: '', zip: '', country: 'US' };
      expect(customerOf(h, (await ordered({ address: noZip, country: 'US' })).companyUuid)!.address).toEqual({ addressLine1: '9 Lonely Road', city: 'Austin', country: 'US' });
    });

    test('a country with neither an event address nor a configured one is refused, naming the country and the setting', async () => {
      const { companyUuid, result } = await ordered({ country: 'DE' });
      expect(result).toEqual({ success: false, errorCode: 'CONFIGURATION_ERROR', message: expect.stringMatching(/company is in DE .*add DE to COUNTRY_ADDRESSES/) });
      expect(customerOf(h, companyUuid)).toBeUndefined();
    });
  });

  describe('seats', () => {
    test('the buyer holds a seat; an assignment above the seats is MAX_USERS_REACHED; a change below the users says how many to unassign', async () => {
      const companyUuid = randomUUID();
      const buyer = freshEmail('buyer');
      expect((await deliver(h, orderEvent({ companyUuid, companyName: 'Seats Co', email: buyer, firstName: 'B', lastName: 'Y', editionCode: 'PRO', seats: 2 }))).result).toMatchObject({ success: true });
      const second = person('second');
      const third = person('third');
      expect((await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: second }))).result).toMatchObject({ success: true });
      expect((await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: third }))).result).toEqual({
        success: false,
        errorCode: 'MAX_USERS_REACHED',
        message: `Subscription ${companyUuid} has 2 seat(s), all assigned; ${third.email} cannot be added`,
      });
      expect(subscriberOf(h, third.email)).toBeUndefined();

      expect((await deliver(h, changeEvent({ accountIdentifier: companyUuid, editionCode: 'PRO', seats: 1 }))).result).toEqual({
        success: false,
        errorCode: 'INVALID_OPERATION',
        message: `Subscription ${companyUuid} has 2 users assigned but the change leaves 1 seat(s): unassign 1 user(s) first`,
      });
      expect((await deliver(h, changeEvent({ accountIdentifier: companyUuid, editionCode: 'PRO', seats: 3 }))).result).toMatchObject({ success: true });
      expect((await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: third }))).result).toMatchObject({ success: true });
      expect((await h.connector.store.accounts.get(companyUuid))?.seats).toBe(3);

      // An unassignment frees its seat.
      expect((await deliver(h, unassignEvent({ accountIdentifier: companyUuid, user: second }))).result).toMatchObject({ success: true });
      expect((await h.connector.store.accounts.users(companyUuid)).map((u) => u.email).sort()).toEqual([buyer, third.email].sort());
    });

    test('two assignments racing for the last seat: one takes it, the other is MAX_USERS_REACHED, and Webex gets one subscriber', async () => {
      const companyUuid = randomUUID();
      expect((await deliver(h, orderEvent({ companyUuid, companyName: 'Race Co', email: freshEmail('buyer'), firstName: 'B', lastName: 'Y', editionCode: 'PRO', seats: 2 }))).result).toMatchObject({ success: true });
      const [first, second] = [person('first'), person('second')];
      const firstToken = h.appDirect.addEvent(assignEvent({ accountIdentifier: companyUuid, user: first })).token;
      const secondToken = h.appDirect.addEvent(assignEvent({ accountIdentifier: companyUuid, user: second })).token;
      const answers = await Promise.all([firstToken, secondToken].map((token) => h.appDirect.notify(h.connector.url, token, {})));
      const results = (await Promise.all(answers.map((answer, i) => (answer.status === 202 ? h.appDirect.waitForResult([firstToken, secondToken][i], 15_000) : answer.body)))) as Array<{ success: boolean }>;
      expect(results.filter((result) => result.success)).toHaveLength(1);
      expect(results.find((result) => !result.success)).toMatchObject({ errorCode: 'MAX_USERS_REACHED' });
      expect(await h.connector.store.accounts.users(companyUuid)).toHaveLength(2);
      expect([subscriberOf(h, first.email), subscriberOf(h, second.email)].filter(Boolean)).toHaveLength(1);
    });

    test('a single-user product (no USER item) has no seat limit, as before', async () => {
      const companyUuid = randomUUID();
      await deliver(h, orderEvent({ companyUuid, companyName: 'Single Co', email: freshEmail('single'), firstName: 'S', lastName: 'U', editionCode: 'BASIC' }));
      for (const who of ['a', 'b']) expect((await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: person(who) }))).result).toMatchObject({ success: true });
      expect((await h.connector.store.accounts.get(companyUuid))?.seats).toBeUndefined();
    });
  });

  describe('USER_UPDATED', () => {
    test("renames the Webex person; an e-mail change is said to be impossible; an unknown user is USER_NOT_FOUND", async () => {
      const companyUuid = randomUUID();
      await deliver(h, orderEvent({ companyUuid, companyName: 'Rename Co', email: freshEmail('owner'), firstName: 'O', lastName: 'W', editionCode: 'PRO' }));
      const user = { ...person('renamed'), uuid: randomUUID() };
      await deliver(h, assignEvent({ accountIdentifier: companyUuid, user }));

      const renamed = await deliver(h, userUpdatedEvent({ accountIdentifier: companyUuid, user: { ...user, firstName: 'Grace', lastName: 'Hopper' } }));
      expect(renamed.result).toMatchObject({ success: true, message: `${user.email} is now Grace Hopper in Webex` });
      expect(personOf(h, user.email)).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', displayName: 'Grace Hopper', extension: subscriberOf(h, user.email)?.provisioningParameters.extension });

      const newEmail = freshEmail('moved');
      const moved = await deliver(h, userUpdatedEvent({ accountIdentifier: companyUuid, user: { ...user, email: newEmail, firstName: 'Grace', lastName: 'Hopper' } }));
      expect(moved.result).toMatchObject({ success: true, message: expect.stringContaining(`The e-mail was not changed: a Webex subscriber is its e-mail, so ${user.email} stays`) });
      expect(subscriberOf(h, user.email)).toBeDefined();

      const unknown = await deliver(h, userUpdatedEvent({ accountIdentifier: companyUuid, user: person('stranger') }));
      expect(unknown.result).toMatchObject({ success: false, errorCode: 'USER_NOT_FOUND' });
    });
  });

  describe('accounts provisioned before the connector kept its memory', () => {
    test('are adopted from Webex the first time an event names them', async () => {
      const companyUuid = randomUUID();
      const owner = freshEmail('owner');
      const colleague = person('colleague');
      await deliver(h, orderEvent({ companyUuid, companyName: 'Legacy Co', email: owner, firstName: 'O', lastName: 'W', editionCode: 'BASIC' }));
      await deliver(h, assignEvent({ accountIdentifier: companyUuid, user: colleague }));
      // As a journal of the release before the memory has it: Webex knows the account, the connector does not.
      const { native } = h.connector.store;
      if (native.dialect !== 'sqlite') throw new Error('the harness runs on SQLite');
      native.database.prepare('DELETE FROM account_users WHERE account_id = ?').run(companyUuid);
      native.database.prepare('DELETE FROM accounts WHERE account_id = ?').run(companyUuid);

      const { token, result } = await deliver(h, changeEvent({ accountIdentifier: companyUuid, editionCode: 'PRO' }));
      expect(result).toMatchObject({ success: true, message: expect.stringContaining('2 Webex user(s) updated') });
      for (const email of [owner, colleague.email]) expect(subscriberOf(h, email)?.packages).toEqual(['webex_calling']);
      expect(await h.connector.store.accounts.get(companyUuid)).toMatchObject({ status: 'active', package: 'webex_calling', customerId: customerOf(h, companyUuid)?.id });
      expect((await h.connector.store.accounts.users(companyUuid)).map((u) => u.email).sort()).toEqual([owner, colleague.email].sort());
      expect((await h.connector.store.journal.timeline(token)).map((t) => t.detail)).toContainEqual(expect.stringMatching(/adopted from Webex: customer \S+ with 2 subscriber\(s\)/));
    });
  });

  describe('tolerant parsing', () => {
    test('an items object instead of an array, an unknown flag and fields the connector does not use change nothing', async () => {
      const companyUuid = randomUUID();
      const event = orderEvent({ companyUuid, companyName: 'Odd Shape Co', email: freshEmail('odd'), firstName: 'O', lastName: 'S', editionCode: 'PRO' });
      const payload = event.payload as Record<string, unknown>;
      (payload.order as Record<string, unknown>).items = { unit: 'USER', quantity: '4' };
      Object.assign(event, { flag: 'PRODUCTION_PREVIEW', returnUrl: 'https://market.example/return', links: [{ rel: 'self' }] });
      Object.assign(payload, { configuration: { domain: 'odd.example.com' } });
      Object.assign(payload.company as object, { externalId: 'crm-42', extra: { nested: true } });
      Object.assign(event.creator as object, { openId: 'https://market.example/openid/id/x', attributes: { role: 'ADMIN' } });
      expect((await deliver(h, event)).result).toMatchObject({ success: true, accountIdentifier: companyUuid });
      expect((await h.connector.store.accounts.get(companyUuid))?.seats).toBe(4);
    });

    test('a field the connector uses is named when it is wrong', async () => {
      const event = orderEvent({ companyUuid: randomUUID(), companyName: 'Bad Seats Co', email: freshEmail('bad'), firstName: 'B', lastName: 'S', editionCode: 'PRO' });
      ((event.payload as Record<string, unknown>).order as Record<string, unknown>).items = [{ unit: 'USER', quantity: 'many' }];
      expect((await deliver(h, event)).result).toEqual({
        success: false,
        errorCode: 'INVALID_RESPONSE',
        message: 'AppDirect returned an unusable event: event field payload.order.items[0].quantity must be a whole number of users',
      });
    });
  });
});
