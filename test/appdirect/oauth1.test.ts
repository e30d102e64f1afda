import { createHmac } from 'node:crypto';
import { oauth1Authorization } from '../../src/appdirect/oauth1';

/** RFC 5849 §3.6 percent-encoding, written out independently of the implementation under test. */
const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function headerParameters(authorization: string): Record<string, string> {
  const pairs = authorization.replace(/^OAuth /, '').split(', ').map((pair) => /^([^=]+)="([^"]*)"$/.exec(pair)!);
  return Object.fromEntries(pairs.map(([, name, value]) => [decodeURIComponent(name), decodeURIComponent(value)]));
}

describe('oauth1Authorization', () => {
  it('signs the RFC 5849 base string: normalized URL, sorted encoded query and oauth parameters', () => {
    const credentials = { consumerKey: 'key one', consumerSecret: 's&cret' };
    const nowMs = Date.UTC(2025, 0, 1);
    const header = oauth1Authorization(credentials, 'get', 'HTTPS://Market.Example:443/api/events/t%201?b=2&a=1&a=0&c=x+y&d=%21', nowMs);
    const { oauth_signature, ...oauth } = headerParameters(header);

    expect(oauth).toMatchObject({ oauth_consumer_key: 'key one', oauth_signature_method: 'HMAC-SHA1', oauth_version: '1.0', oauth_timestamp: String(nowMs / 1000) });
    const parameters = [...Object.entries(oauth), ['a', '1'], ['a', '0'], ['b', '2'], ['c', 'x y'], ['d', '!']]
      .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
      .sort();
    const baseString = ['GET', rfc3986('https://market.example/api/events/t%201'), rfc3986(parameters.join('&'))].join('&');
    const expected = createHmac('sha1', `${rfc3986('s&cret')}&`).update(baseString).digest('base64');
    expect(oauth_signature).toBe(expected);
  });

  it('uses a fresh nonce every time', () => {
    const credentials = { consumerKey: 'k', consumerSecret: 's' };
    const nonces = new Set(Array.from({ length: 5 }, () => headerParameters(oauth1Authorization(credentials, 'GET', 'https://m.example/e/t')).oauth_nonce));
    expect(nonces.size).toBe(5);
  });
});
