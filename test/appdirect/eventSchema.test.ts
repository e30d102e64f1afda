import { parseEvent } from '../../src/appdirect/eventSchema';
import { loadSampleEvent } from './sampleEvents';

const MARKET = { 'fake-appmarket-url': 'https://market.example' };

/** Deep copy of a sample with one field changed, addressed by a dotted path. */
function withField(event: Record<string, unknown>, dottedPath: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(event);
  const keys = dottedPath.split('.');
  const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, copy);
  parent[keys[keys.length - 1]] = value;
  return copy;
}

describe('parseEvent with AppDirect sample events', () => {
  it('parses an order and keeps the fields the connector uses', () => {
    const parsed = parseEvent(loadSampleEvent('subscription-order.json', MARKET));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.kind !== 'known' || parsed.event.type !== 'SUBSCRIPTION_ORDER') throw new Error('expected an order');
    expect(parsed.event.marketplace?.baseUrl).toBe('https://market.example');
    expect(parsed.event.payload?.company?.uuid).toBe('6c9832df-a5f2-40dc-9fe6-823ac2c4f143');
    expect(parsed.event.payload?.order?.editionCode).toBe('BASIC');
    expect(parsed.event.creator?.email).toBe('gabriel.x@gmail.com');
  });

  it.each([
    ['subscription-change.json', 'SUBSCRIPTION_CHANGE'],
    ['subscription-cancel.json', 'SUBSCRIPTION_CANCEL'],
    ['subscription-deactivated.json', 'SUBSCRIPTION_NOTICE'],
    ['user-assign.json', 'USER_ASSIGNMENT'],
  ])('parses %s', (file, type) => {
    const parsed = parseEvent(loadSampleEvent(file, { ...MARKET, 'account-id': 'acct-1' }));
    expect(parsed).toMatchObject({ ok: true, event: { type } });
  });

  it('keeps fields it does not know about', () => {
    const parsed = parseEvent(loadSampleEvent('user-assign.json', MARKET));
    expect(parsed.ok && (parsed.event.payload?.user as Record<string, unknown>).attributes).toEqual({
      userName: 'flamail151@flamail150.onmicrosoft.com',
    });
  });

  it('reads quantities given as strings or numbers', () => {
    const change = loadSampleEvent('subscription-change.json', MARKET);
    expect(parseEvent(withField(change, 'payload.order.items', [{ unit: 'USER', quantity: 10 }])).ok).toBe(true);
  });
});

describe('parseEvent required fields', () => {
  const order = () => loadSampleEvent('subscription-order.json', MARKET);

  it.each([
    ['subscription-order.json', 'payload.company.uuid', 'event field payload.company.uuid is required for SUBSCRIPTION_ORDER'],
    // The sample's company has no e-mail, so without the creator's there is none for the new customer.
    ['subscription-order.json', 'creator.email', 'event field creator.email or payload.company.email is required for SUBSCRIPTION_ORDER'],
    ['subscription-order.json', 'payload.order.editionCode', 'event field payload.order.editionCode is required for SUBSCRIPTION_ORDER'],
    ['subscription-change.json', 'payload.account.accountIdentifier', 'event field payload.account.accountIdentifier is required for SUBSCRIPTION_CHANGE'],
    ['subscription-change.json', 'payload.order.editionCode', 'event field payload.order.editionCode is required for SUBSCRIPTION_CHANGE'],
    ['subscription-cancel.json', 'payload.account.accountIdentifier', 'event field payload.account.accountIdentifier is required for SUBSCRIPTION_CANCEL'],
    ['subscription-deactivated.json', 'payload.notice.type', 'event field payload.notice.type is required for SUBSCRIPTION_NOTICE'],
    ['subscription-deactivated.json', 'payload.account.accountIdentifier', 'event field payload.account.accountIdentifier is required for SUBSCRIPTION_NOTICE'],
    ['user-assign.json', 'payload.user.email', 'event field payload.user.email is required for USER_ASSIGNMENT'],
  ])('%s without %s', (file, field, message) => {
    const event = loadSampleEvent(file, { ...MARKET, 'account-id': 'acct-1' });
    expect(parseEvent(withField(event, field, null))).toEqual({ ok: false, message });
    expect(parseEvent(withField(event, field, '  '))).toEqual({ ok: false, message });
  });

  it('names the nested field when its parent object is null', () => {
    expect(parseEvent(withField(order(), 'payload.company', null))).toEqual({
      ok: false,
      message: 'event field payload.company.uuid is required for SUBSCRIPTION_ORDER',
    });
  });

  it('lists every missing field at once', () => {
    const event = withField(withField(order(), 'creator', null), 'payload.order', null);
    expect(parseEvent(event)).toEqual({
      ok: false,
      message: 'event fields payload.order.editionCode, creator.email or payload.company.email are required for SUBSCRIPTION_ORDER',
    });
  });

  it('checks USER_UNASSIGNMENT like USER_ASSIGNMENT', () => {
    const unassign = withField(withField(loadSampleEvent('user-assign.json', MARKET), 'type', 'USER_UNASSIGNMENT'), 'payload.user', null);
    expect(parseEvent(unassign)).toEqual({ ok: false, message: 'event field payload.user.email is required for USER_UNASSIGNMENT' });
  });

  it('requires nothing but the type from a STATELESS ping', () => {
    expect(parseEvent({ type: 'SUBSCRIPTION_ORDER', flag: 'STATELESS' })).toMatchObject({ ok: true });
    expect(parseEvent({ type: 'SUBSCRIPTION_ORDER', flag: 'STATELESS', payload: { company: null } })).toMatchObject({ ok: true });
  });

  it('still checks a DEVELOPMENT event', () => {
    expect(parseEvent(withField(withField(order(), 'flag', 'DEVELOPMENT'), 'payload.company', null)).ok).toBe(false);
  });

  it('tolerates a flag it does not know: only STATELESS and DEVELOPMENT mean something', () => {
    expect(parseEvent(withField(order(), 'flag', 'PRODUCTION'))).toMatchObject({ ok: true, kind: 'known' });
  });

  it('accepts unknown event types, for the handler to answer', () => {
    expect(parseEvent({ type: 'ADDON_ORDER', payload: { something: 1 } })).toMatchObject({ ok: true, event: { type: 'ADDON_ORDER' } });
  });
});

describe('parseEvent with the shapes real marketplaces send', () => {
  const order = () => loadSampleEvent('subscription-order.json', MARKET);

  it('reads an order without a creator when the company has an e-mail', () => {
    const event = withField(withField(order(), 'creator', null), 'payload.company.email', 'it@company.example');
    expect(parseEvent(event)).toMatchObject({ ok: true, kind: 'known', event: { type: 'SUBSCRIPTION_ORDER', creator: undefined } });
  });

  it('reads a change without a creator: it applies to the whole subscription', () => {
    const change = withField(loadSampleEvent('subscription-change.json', { ...MARKET, 'account-id': 'acct-1' }), 'creator', null);
    expect(parseEvent(change)).toMatchObject({ ok: true, event: { type: 'SUBSCRIPTION_CHANGE' } });
  });

  it("reads an add-on's order by its parent account, with the fields only add-ons have, and names what it lacks", () => {
    const addon = withField(withField(order(), 'payload.account', { accountIdentifier: null, parentAccountIdentifier: 'parent-1' }), 'payload.addonInstance', { id: 'instance-1' });
    const parsed = parseEvent(withField(addon, 'payload.order.addonOfferingCode', 'AC'));
    expect(parsed).toMatchObject({ ok: true, event: { payload: { account: { parentAccountIdentifier: 'parent-1' }, order: { addonOfferingCode: 'AC' }, addonInstance: { id: 'instance-1' } } } });
    // An add-on needs no company and no e-mail: the subscription it extends has them.
    expect(parseEvent(withField(withField(addon, 'payload.company', null), 'creator', null)).ok).toBe(true);
    expect(parseEvent(withField(addon, 'payload.order.editionCode', null))).toEqual({ ok: false, message: 'event field payload.order.editionCode is required for SUBSCRIPTION_ORDER' });
  });

  it('reads USER_UPDATED and names what it lacks', () => {
    const updated = withField(loadSampleEvent('user-assign.json', { ...MARKET, 'account-id': 'acct-1' }), 'type', 'USER_UPDATED');
    expect(parseEvent(updated)).toMatchObject({ ok: true, kind: 'known', event: { type: 'USER_UPDATED' } });
    expect(parseEvent(withField(updated, 'payload.user', null))).toEqual({ ok: false, message: 'event field payload.user.email is required for USER_UPDATED' });
  });

  it('reads one item object as the items, and checks only the quantity of USER items', () => {
    const single = withField(order(), 'payload.order.items', { unit: 'USER', quantity: '7' });
    expect(parseEvent(single)).toMatchObject({ ok: true, event: { payload: { order: { items: [{ unit: 'USER', quantity: '7' }] } } } });
    expect(parseEvent(withField(order(), 'payload.order.items', [{ unit: 'GIGABYTE', quantity: 'lots' }])).ok).toBe(true);
    expect(parseEvent(withField(order(), 'payload.order.items', [{ unit: 'USER', quantity: 2.5 }]))).toEqual({
      ok: false,
      message: 'event field payload.order.items[0].quantity must be a whole number of users',
    });
  });
});

describe('parseEvent malformed events', () => {
  it.each([
    [null, 'event must be a JSON object'],
    ['text', 'event must be a JSON object'],
    [[], 'event must be a JSON object'],
    [{}, 'event field type is required and must be a non-empty string'],
    [{ type: '' }, 'event field type is required and must be a non-empty string'],
    [{ type: 7 }, 'event field type is required and must be a non-empty string'],
    [{ type: 'SUBSCRIPTION_ORDER', creator: { email: 42 } }, 'event field creator.email has the wrong type (expected string or null)'],
    [{ type: 'SUBSCRIPTION_ORDER', payload: 'x' }, 'event field payload has the wrong type (expected object or null)'],
    [
      { type: 'SUBSCRIPTION_CHANGE', payload: { order: { items: [{ quantity: {} }] } } },
      'event field payload.order.items[0].quantity is invalid',
    ],
  ])('%p → %s', (raw, message) => {
    expect(parseEvent(raw)).toEqual({ ok: false, message });
  });
});
