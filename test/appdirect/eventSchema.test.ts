import { parseEvent } from '../../src/appdirect/eventSchema';
import { loadFixtureEvent } from './sampleEvents';

/** Deep copy of an event with one field changed, addressed by a dotted path. */
function withField(event: Record<string, unknown>, dottedPath: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(event);
  const keys = dottedPath.split('.');
  const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((node, key) => node[key] as Record<string, unknown>, copy);
  parent[keys[keys.length - 1]] = value;
  return copy;
}

describe('parseEvent with events in AppDirect\'s shape', () => {
  it('parses an order and keeps the fields the connector uses', () => {
    const parsed = parseEvent(loadFixtureEvent('subscription-order.json'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.kind !== 'known' || parsed.event.type !== 'SUBSCRIPTION_ORDER') throw new Error('expected an order');
    expect(parsed.event.marketplace?.baseUrl).toBe('https://marketplace.example.com');
    expect(parsed.event.payload?.company?.uuid).toBe('e3a4f6b8-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    expect(parsed.event.payload?.order?.editionCode).toBe('MEETINGS');
    expect(parsed.event.creator?.email).toBe('marta.lindqvist@northwind-bakery.example');
  });

  it.each([
    ['subscription-change.json', 'SUBSCRIPTION_CHANGE'],
    ['subscription-cancel.json', 'SUBSCRIPTION_CANCEL'],
    ['subscription-notice-deactivated.json', 'SUBSCRIPTION_NOTICE'],
    ['user-assignment.json', 'USER_ASSIGNMENT'],
  ])('parses %s', (file, type) => {
    const parsed = parseEvent(loadFixtureEvent(file));
    expect(parsed).toMatchObject({ ok: true, event: { type, payload: { account: { accountIdentifier: 'e3a4f6b8-1c2d-4e5f-8a9b-0c1d2e3f4a5b' } } } });
  });

  it('keeps fields it does not know about', () => {
    const parsed = parseEvent(loadFixtureEvent('user-assignment.json'));
    expect(parsed.ok && (parsed.event.payload?.user as Record<string, unknown>).attributes).toEqual({ department: 'Deliveries' });
    expect(parsed.ok && (parsed.event.payload as Record<string, unknown>).configuration).toEqual({});
  });

  it('reads quantities given as strings or numbers', () => {
    const change = loadFixtureEvent('subscription-change.json');
    expect(parseEvent(change)).toMatchObject({ ok: true, event: { payload: { order: { items: [{ unit: 'USER', quantity: '12' }] } } } });
    expect(parseEvent(withField(change, 'payload.order.items', [{ unit: 'USER', quantity: 10 }]))).toMatchObject({ ok: true, event: { payload: { order: { items: [{ quantity: 10 }] } } } });
  });
});

describe('parseEvent required fields', () => {
  const order = () => loadFixtureEvent('subscription-order.json');

  it.each([
    ['subscription-order.json', 'payload.company.uuid', 'event field payload.company.uuid is required for SUBSCRIPTION_ORDER'],
    ['subscription-order.json', 'payload.order.editionCode', 'event field payload.order.editionCode is required for SUBSCRIPTION_ORDER'],
    ['subscription-change.json', 'payload.account.accountIdentifier', 'event field payload.account.accountIdentifier is required for SUBSCRIPTION_CHANGE'],
    ['subscription-change.json', 'payload.order.editionCode', 'event field payload.order.editionCode is required for SUBSCRIPTION_CHANGE'],
    ['subscription-cancel.json', 'payload.account.accountIdentifier', 'event field payload.account.accountIdentifier is required for SUBSCRIPTION_CANCEL'],
    ['subscription-notice-deactivated.json', 'payload.notice.type', 'event field payload.notice.type is required for SUBSCRIPTION_NOTICE'],
    ['subscription-notice-deactivated.json', 'payload.account.accountIdentifier', 'event field payload.account.accountIdentifier is required for SUBSCRIPTION_NOTICE'],
    ['user-assignment.json', 'payload.user.email', 'event field payload.user.email is required for USER_ASSIGNMENT'],
  ])('%s without %s', (file, field, message) => {
    const event = loadFixtureEvent(file);
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
    const event = withField(withField(withField(order(), 'creator', null), 'payload.company.email', null), 'payload.order', null);
    expect(parseEvent(event)).toEqual({
      ok: false,
      message: 'event fields payload.order.editionCode, creator.email or payload.company.email are required for SUBSCRIPTION_ORDER',
    });
  });

  it('needs an e-mail for the new customer: the creator’s or the company’s', () => {
    const withoutCreator = withField(order(), 'creator', null);
    expect(parseEvent(withoutCreator)).toMatchObject({ ok: true, kind: 'known' });
    expect(parseEvent(withField(withoutCreator, 'payload.company.email', null))).toEqual({
      ok: false,
      message: 'event field creator.email or payload.company.email is required for SUBSCRIPTION_ORDER',
    });
  });

  it('checks USER_UNASSIGNMENT like USER_ASSIGNMENT', () => {
    const unassign = withField(withField(loadFixtureEvent('user-assignment.json'), 'type', 'USER_UNASSIGNMENT'), 'payload.user', null);
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
  const order = () => loadFixtureEvent('subscription-order.json');

  it('reads a change without a creator: it applies to the whole subscription', () => {
    const change = withField(loadFixtureEvent('subscription-change.json'), 'creator', null);
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
    const updated = withField(loadFixtureEvent('user-assignment.json'), 'type', 'USER_UPDATED');
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
