import { parseEventUrl, resultUrlFor } from '../../src/appdirect/eventUrl';

const MARKETPLACE = 'https://market.example';

describe('parseEventUrl', () => {
  it('accepts an event URL on the marketplace and extracts the token', () => {
    const parsed = parseEventUrl('https://market.example/api/integration/v1/events/abc-123', MARKETPLACE);
    expect(parsed).toMatchObject({ ok: true, token: 'abc-123' });
    if (parsed.ok) expect(parsed.eventUrl.href).toBe('https://market.example/api/integration/v1/events/abc-123');
  });

  it('treats default ports and host case as the same origin', () => {
    expect(parseEventUrl('https://MARKET.example:443/api/integration/v1/events/t1', MARKETPLACE)).toMatchObject({ ok: true, token: 't1' });
    expect(parseEventUrl('http://market.example:80/events/t2', 'http://market.example')).toMatchObject({ ok: true, token: 't2' });
  });

  it('takes the last non-empty path segment as the token', () => {
    expect(parseEventUrl('https://market.example/api/integration/v1/events/t3/', MARKETPLACE)).toMatchObject({ ok: true, token: 't3' });
    expect(parseEventUrl('https://market.example/events/a%20b', MARKETPLACE)).toMatchObject({ ok: true, token: 'a b' });
  });

  it.each([
    [undefined, 'eventUrl is required'],
    ['', 'eventUrl is required'],
    ['   ', 'eventUrl is required'],
    [42, 'eventUrl is required'],
    ['not a url', 'eventUrl is not a valid absolute URL'],
    ['/api/integration/v1/events/t', 'eventUrl is not a valid absolute URL'],
    ['ftp://market.example/events/t', 'eventUrl must be an http or https URL'],
    ['https://market.example/', 'eventUrl has no event token at the end of its path'],
    ['https://market.example', 'eventUrl has no event token at the end of its path'],
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
