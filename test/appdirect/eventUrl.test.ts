import { parseEventUrl, resultUrlFor } from '../../src/appdirect/eventUrl';

const MARKETPLACE = 'https://market.example';

describe('parseEventUrl', () => {
  it('accepts an event URL on the marketplace and extracts the token', () => {
    const parsed = parseEventUrl('https://market.example/api/integration/v1/events/abc-123', MARKETPLACE);
    expect(parsed).toMatchObject({ ok: true, token: 'abc-123' });
    if (parsed.ok) expect(parsed.eventUrl.href).toBe('https://market.example/api/integration/v1/events/abc-123');
  });

  it('treats default ports and host case as the same origin, and answers the canonical URL', () => {
    const parsed = parseEventUrl('https://MARKET.example:443/api/integration/v1/events/t1', MARKETPLACE);
    expect(parsed).toMatchObject({ ok: true, token: 't1' });
    if (parsed.ok) expect(parsed.eventUrl.href).toBe('https://market.example/api/integration/v1/events/t1');
    expect(parseEventUrl('http://market.example:80/api/integration/v1/events/t2', 'http://market.example')).toMatchObject({ ok: true, token: 't2' });
  });

  it('follows a marketplace base URL that has a path', () => {
    expect(parseEventUrl('https://market.example/shop/api/integration/v1/events/t3', 'https://market.example/shop/')).toMatchObject({ ok: true, token: 't3' });
    expect(parseEventUrl('https://market.example/api/integration/v1/events/t3', 'https://market.example/shop')).toMatchObject({ ok: false });
  });

  const NOT_AN_EVENT = 'eventUrl must be an event of the marketplace: https://market.example/api/integration/v1/events/{token}';
  const BAD_TOKEN = 'the event token in eventUrl must be one path segment of letters, digits, ".", "_", "~" or "-"';
  const QUERY = 'eventUrl must not carry a query or a fragment';

  it.each([
    ['another API of the marketplace', 'https://market.example/oauth2/token', NOT_AN_EVENT],
    ['an admin API of the marketplace', 'https://market.example/api/v1/admin/users', NOT_AN_EVENT],
    ['a path ending in a token-like segment', 'https://market.example/other/t1', NOT_AN_EVENT],
    ['the events path under another prefix', 'https://market.example/x/api/integration/v1/events/t1', NOT_AN_EVENT],
    ['dot segments that climb out of the events path', 'https://market.example/api/integration/v1/events/../../../../oauth2/token', NOT_AN_EVENT],
    ['encoded dot segments', 'https://market.example/api/integration/v1/events/%2e%2e/%2e%2e/users', NOT_AN_EVENT],
    ['no token', 'https://market.example/api/integration/v1/events/', BAD_TOKEN],
    ['a second segment (the result endpoint)', 'https://market.example/api/integration/v1/events/t1/result', BAD_TOKEN],
    ['a trailing slash', 'https://market.example/api/integration/v1/events/t1/', BAD_TOKEN],
    ['an encoded slash', 'https://market.example/api/integration/v1/events/a%2Fb', BAD_TOKEN],
    ['an encoded space', 'https://market.example/api/integration/v1/events/a%20b', BAD_TOKEN],
    ['a token that is only dots', 'https://market.example/api/integration/v1/events/...', BAD_TOKEN],
    ['a query', 'https://market.example/api/integration/v1/events/t1?next=/oauth2/token', QUERY],
    ['an empty query', 'https://market.example/api/integration/v1/events/t1?', QUERY],
    ['a fragment', 'https://market.example/api/integration/v1/events/t1#x', QUERY],
    ['an empty fragment', 'https://market.example/api/integration/v1/events/t1#', QUERY],
  ])('rejects %s', (_case, raw, reason) => {
    expect(parseEventUrl(raw, MARKETPLACE)).toEqual({ ok: false, reason });
  });

  it('gives each token exactly one URL, so two URLs can never share one journal record', () => {
    const accepted = ['https://market.example/api/integration/v1/events/t9', 'https://market.example/other/t9', 'https://market.example/api/integration/v1/events/t9/', 'https://market.example/api/integration/v1/events/t9?a=1']
      .map((raw) => parseEventUrl(raw, MARKETPLACE))
      .filter((parsed) => parsed.ok);
    expect(accepted).toHaveLength(1);
  });

  it.each([
    [undefined, 'eventUrl is required'],
    ['', 'eventUrl is required'],
    ['   ', 'eventUrl is required'],
    [42, 'eventUrl is required'],
    ['not a url', 'eventUrl is not a valid absolute URL'],
    ['/api/integration/v1/events/t', 'eventUrl is not a valid absolute URL'],
    ['ftp://market.example/events/t', 'eventUrl must be an http or https URL'],
    ['https://market.example/', NOT_AN_EVENT],
    ['https://market.example', NOT_AN_EVENT],
  ])('rejects %p', (raw, reason) => {
    expect(parseEventUrl(raw, MARKETPLACE)).toEqual({ ok: false, reason });
  });

  it.each([
    ['https://evil.example/api/integration/v1/events/t', 'https://evil.example'],
    ['http://market.example/api/integration/v1/events/t', 'http://market.example'],
    ['https://market.example:8443/api/integration/v1/events/t', 'https://market.example:8443'],
    ['https://market.example.evil.example/events/t', 'https://market.example.evil.example'],
  ])('rejects the foreign origin of %s and names both origins', (raw, origin) => {
    expect(parseEventUrl(raw, MARKETPLACE)).toEqual({
      ok: false,
      reason: `eventUrl must point at the configured marketplace https://market.example (got ${origin})`,
    });
  });

  it('never echoes credentials embedded in a URL', () => {
    const foreign = parseEventUrl('https://user:hunter2@evil.example/events/t', MARKETPLACE);
    const sameHost = parseEventUrl('https://user:hunter2@market.example/events/t', MARKETPLACE);
    const configured = parseEventUrl('https://evil.example/events/t', 'https://admin:s3cret@market.example');
    expect(foreign).toEqual({ ok: false, reason: 'eventUrl must not contain credentials' });
    expect(sameHost).toEqual({ ok: false, reason: 'eventUrl must not contain credentials' });
    expect(configured.ok).toBe(false);
    expect(JSON.stringify(configured)).not.toContain('s3cret');
  });
});

describe('resultUrlFor', () => {
  it('builds the result endpoint of an event', () => {
    expect(resultUrlFor('https://market.example', 'abc')).toBe('https://market.example/api/integration/v1/events/abc/result');
    expect(resultUrlFor('https://market.example/', 'abc')).toBe('https://market.example/api/integration/v1/events/abc/result');
  });

  it('keeps the token inside its path segment', () => {
    expect(resultUrlFor('https://market.example', 'a/../b')).toBe('https://market.example/api/integration/v1/events/a%2F..%2Fb/result');
  });
});
