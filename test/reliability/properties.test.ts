import fc from 'fast-check';
import { KNOWN_EVENT_TYPES, parseEvent } from '../../src/appdirect/eventSchema';
import { parseEventUrl } from '../../src/appdirect/eventUrl';
import { createMemoryNonceStore } from '../../src/appdirect/nonceStore';
import { oauth1Authorization, verifyOAuth1 } from '../../src/appdirect/oauth1';
import type { ProvisioningSettings } from '../../src/config';
import { packageForEdition } from '../../src/provisioning/packages';
import { addonOrderEvent, assignEvent, cancelEvent, changeEvent, noticeEvent, orderEvent, SimEvent, unassignEvent, userUpdatedEvent } from '../../sim/appdirect/events';

describe('parseEvent', () => {
  /** What each event type cannot be handled without, as docs/architecture.md documents it. */
  const REQUIRED: Array<[string, () => SimEvent, string[]]> = [
    // The company's e-mail stands in for the creator's: a missing creator e-mail alone is no reason to refuse.
    ['SUBSCRIPTION_ORDER', () => orderEvent({ companyUuid: 'c', companyName: 'C', email: 'a@b.c', firstName: 'A', lastName: 'B', editionCode: 'E' }), ['payload.company.uuid', 'payload.order.editionCode']],
    ['SUBSCRIPTION_ORDER', () => addonOrderEvent({ parentAccountIdentifier: 'acc', editionCode: 'E' }), ['payload.order.editionCode']],
    ['SUBSCRIPTION_CHANGE', () => changeEvent({ accountIdentifier: 'acc', email: 'a@b.c', editionCode: 'E' }), ['payload.account.accountIdentifier', 'payload.order.editionCode']],
    ['SUBSCRIPTION_CANCEL', () => cancelEvent({ accountIdentifier: 'acc' }), ['payload.account.accountIdentifier']],
    ['SUBSCRIPTION_NOTICE', () => noticeEvent({ accountIdentifier: 'acc', type: 'CLOSED' }), ['payload.account.accountIdentifier', 'payload.notice.type']],
    ['USER_ASSIGNMENT', () => assignEvent({ accountIdentifier: 'acc', user: { email: 'u@b.c', firstName: 'U', lastName: 'V' } }), ['payload.account.accountIdentifier', 'payload.user.email']],
    ['USER_UNASSIGNMENT', () => unassignEvent({ accountIdentifier: 'acc', user: { email: 'u@b.c', firstName: 'U', lastName: 'V' } }), ['payload.account.accountIdentifier', 'payload.user.email']],
    ['USER_UPDATED', () => userUpdatedEvent({ accountIdentifier: 'acc', user: { email: 'u@b.c', firstName: 'U', lastName: 'V' } }), ['payload.account.accountIdentifier', 'payload.user.email']],
  ];

  const DELETE = Symbol('delete the field');
  const setAt = (event: SimEvent, dottedPath: string, value: unknown) => {
    const keys = dottedPath.split('.');
    const parent = keys.slice(0, -1).reduce((node, key) => node[key] as Record<string, unknown>, event as Record<string, unknown>);
    if (value === DELETE) delete parent[keys[keys.length - 1]];
    else parent[keys[keys.length - 1]] = value;
  };

  test('never throws, whatever AppDirect returns', () => {
    const eventLike = fc.record(
      { type: fc.oneof(fc.constantFrom(...KNOWN_EVENT_TYPES), fc.anything()), flag: fc.anything(), creator: fc.anything(), payload: fc.anything() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true }), eventLike), (raw) => {
        const parsed = parseEvent(raw);
        expect(parsed.ok || typeof parsed.message === 'string').toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('names every required field that is missing, null or blank', () => {
    const absent = fc.constantFrom<unknown>(DELETE, null, undefined, '', '   ', '\t\n');
    const cases = fc
      .constantFrom(...REQUIRED)
      .chain(([type, build, required]) => fc.tuple(fc.constant(type), fc.constant(build), fc.subarray(required, { minLength: 1 }).chain((fields) => fc.tuple(fc.constant(fields), fc.array(absent, { minLength: fields.length, maxLength: fields.length })))));
    fc.assert(
      fc.property(cases, ([type, build, [fields, values]]) => {
        const event = build();
        fields.forEach((field, i) => setAt(event, field, values[i]));
        const parsed = parseEvent(event);
        expect(parsed.ok).toBe(false);
        for (const field of fields) expect(!parsed.ok && parsed.message).toContain(field);
        expect(!parsed.ok && parsed.message).toContain(type);
      }),
    );
  });

  test('names a required field that has the wrong type', () => {
    const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.string()), fc.dictionary(fc.string(), fc.string()));
    const cases = fc.constantFrom(...REQUIRED).chain(([, build, required]) => fc.tuple(fc.constant(build), fc.constantFrom(...required), wrong));
    fc.assert(
      fc.property(cases, ([build, field, value]) => {
        const event = build();
        setAt(event, field, value);
        const parsed = parseEvent(event);
        expect(!parsed.ok && parsed.message).toContain(field);
      }),
    );
  });
});

describe('parseEventUrl', () => {
  const marketplaces = fc.webUrl({ withQueryParameters: false, withFragments: false }).map((url) => new URL(url).origin);

  test('refuses any URL outside the marketplace origin, look-alikes included', () => {
    const lookAlike = (marketplace: string) => {
      const m = new URL(marketplace);
      const otherScheme = m.protocol === 'https:' ? 'http:' : 'https:';
      return fc.oneof(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.constant(`${m.protocol}//${m.host}.evil.example/api/integration/v1/events/t`),
        fc.constant(`${m.protocol}//evil.example/${m.host}/api/integration/v1/events/t`),
        fc.constant(`${otherScheme}//${m.host}/api/integration/v1/events/t`),
        fc.integer({ min: 1, max: 65535 }).map((port) => `${m.protocol}//${m.hostname}:${port}/api/integration/v1/events/t`),
      );
    };
    const cases = marketplaces.chain((marketplace) => fc.tuple(fc.constant(marketplace), lookAlike(marketplace)));
    fc.assert(
      fc.property(cases, ([marketplace, eventUrl]) => {
        fc.pre(new URL(eventUrl).origin !== marketplace);
        expect(parseEventUrl(eventUrl, marketplace).ok).toBe(false);
      }),
    );
  });

  const safeToken = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._~-]{0,40}$/);

  test('accepts {marketplace}/api/integration/v1/events/{token} for any token of safe characters', () => {
    fc.assert(
      fc.property(marketplaces, safeToken, fc.boolean(), (marketplace, eventToken, upperHost) => {
        const origin = upperHost ? marketplace.toUpperCase().replace(/^HTTP(S?):/, 'http$1:') : marketplace;
        expect(parseEventUrl(`${origin}/api/integration/v1/events/${eventToken}`, marketplace)).toMatchObject({ ok: true, token: eventToken });
      }),
    );
  });

  test('refuses every other path, query or fragment on the marketplace', () => {
    const others = fc.tuple(fc.array(fc.webSegment(), { maxLength: 4 }), fc.string({ unit: 'grapheme', minLength: 1 }), fc.boolean(), fc.constantFrom('', '?eventType=create', '?', '#x', '#'));
    fc.assert(
      fc.property(marketplaces, others, (marketplace, [prefix, eventToken, trailingSlash, suffix]) => {
        const eventUrl = `${marketplace}/${[...prefix, encodeURIComponent(eventToken)].join('/')}${trailingSlash ? '/' : ''}${suffix}`;
        fc.pre(!(suffix === '' && URL.canParse(eventUrl) && /^\/api\/integration\/v1\/events\/[A-Za-z0-9][A-Za-z0-9._~-]*$/.test(new URL(eventUrl).pathname)));
        expect(parseEventUrl(eventUrl, marketplace).ok).toBe(false);
      }),
    );
  });
});

describe('OAuth 1.0a signatures', () => {
  const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
  const NOW = Date.UTC(2025, 5, 1);
  const signed = fc.record({
    consumerKey: fc.string({ minLength: 1 }),
    consumerSecret: fc.string(),
    method: fc.constantFrom(...METHODS),
    url: fc.webUrl({ withQueryParameters: true }),
  });

  type Request = { consumerKey: string; consumerSecret: string; method: string; url: string };
  const verify = (authorization: string, request: Request) =>
    verifyOAuth1({ authorization, method: request.method, url: new URL(request.url), credentials: request, nonces: createMemoryNonceStore(() => NOW), nowMs: NOW });
  const sign = (request: Request) => oauth1Authorization(request, request.method, request.url, NOW);

  /** One change to what was signed; each makes a different request (or secret) from the one signed. */
  const changed = (original: Request): fc.Arbitrary<Request> => {
    const url = new URL(original.url);
    const withUrl = (edit: (u: URL) => void) => {
      const copy = new URL(url);
      edit(copy);
      return { ...original, url: copy.href };
    };
    const params = [...url.searchParams.keys()];
    return fc.oneof(
      fc.constantFrom(...METHODS.filter((m) => m !== original.method)).map((method) => ({ ...original, method })),
      fc.webSegment().map((segment) => withUrl((u) => (u.pathname = `${u.pathname.replace(/\/$/, '')}/${segment}x`))),
      fc.domain().filter((host) => host !== url.hostname).map((host) => withUrl((u) => (u.hostname = host))),
      fc.tuple(fc.string({ minLength: 1 }), fc.string()).map(([name, value]) => withUrl((u) => u.searchParams.append(name, value))),
      ...(params.length
        ? [
            fc.constantFrom(...params).map((name) => withUrl((u) => u.searchParams.set(name, `${u.searchParams.get(name)}x`))),
            fc.constantFrom(...params).map((name) => withUrl((u) => u.searchParams.delete(name))),
          ]
        : []),
      fc.string().filter((secret) => secret !== original.consumerSecret).map((consumerSecret) => ({ ...original, consumerSecret })),
    );
  };

  test('the request as signed verifies', async () => {
    await fc.assert(fc.asyncProperty(signed, async (request) => expect(await verify(sign(request), request)).toEqual({ ok: true })));
  });

  test('any change to the method, the URL, a parameter or the secret makes verification fail', async () => {
    const cases = signed.chain((original) => fc.tuple(fc.constant(original), changed(original)));
    await fc.assert(
      fc.asyncProperty(cases, async ([original, tampered]) => {
        expect(await verify(sign(original), tampered)).toEqual({ ok: false, reason: 'signature mismatch' });
      }),
    );
  });
});

describe('edition → package mapping', () => {
  // Edition codes are free text from the product; some collide with names every JavaScript object has.
  const code = fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', 'basic', 'BASIC'));
  const mapping = fc.array(fc.tuple(code, fc.string({ minLength: 1 }))).map((entries) => Object.fromEntries(entries) as Record<string, string>);
  const settingsWith = (editionPackages: Record<string, string>) => ({ editionPackages }) as ProvisioningSettings;

  test('a mapped edition gets its package, an upper-case mapping serves any case, and anything else is its own package name', () => {
    fc.assert(
      fc.property(mapping, code, (editionPackages, editionCode) => {
        const own = (key: string) => (Object.hasOwn(editionPackages, key) ? editionPackages[key] : undefined);
        const expected = own(editionCode) ?? own(editionCode.toUpperCase()) ?? editionCode;
        expect(packageForEdition(settingsWith(editionPackages), editionCode)).toBe(expected);
      }),
    );
  });

  test('the package is always a non-empty name', () => {
    fc.assert(
      fc.property(mapping, code, (editionPackages, editionCode) => {
        const pkg = packageForEdition(settingsWith(editionPackages), editionCode);
        expect(typeof pkg === 'string' && pkg.length > 0).toBe(true);
      }),
    );
  });
});
