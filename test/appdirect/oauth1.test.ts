import { createHmac } from 'node:crypto';
import { oauth1Authorization, signatureBaseString } from '../../src/appdirect/oauth1';

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

describe('signatureBaseString', () => {
  it('builds the base string of RFC 5849 §3.4.1.1, repeated parameters and double encoding included', () => {
    // The RFC's example request: query and form-body parameters, "a3" given twice, "b5" already percent-encoded.
    const url = new URL('http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b');
    const protocolAndBody: Array<[string, string]> = [
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['c2', ''],
      ['a3', '2 q'],
    ];
    expect(signatureBaseString('POST', url, protocolAndBody)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q' +
        '%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_' +
        'key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m' +
        'ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk' +
        '9d7dh3k39sjv7',
    );
  });

  it('keeps every value of a repeated name, sorted by value, and drops a default port', () => {
    const base = signatureBaseString('get', new URL('HTTPS://Example.COM:443/p?x=2&x=1&x=10'), []);
    expect(base).toBe('GET&https%3A%2F%2Fexample.com%2Fp&x%3D1%26x%3D10%26x%3D2');
  });
});
