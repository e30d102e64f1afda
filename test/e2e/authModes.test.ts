import { randomUUID } from 'node:crypto';
import { orderEvent } from '../../sim/appdirect/events';
import { Harness, startHarness } from '../support/harness';

const CONSUMER = { consumerKey: 'legacy-key', consumerSecret: 'legacy-SECRET-consumer' };

async function orderThrough(h: Harness) {
  const companyUuid = randomUUID();
  const { token } = h.appDirect.addEvent(orderEvent({ companyUuid, companyName: 'Auth Co', email: `${companyUuid.slice(0, 8)}@auth.example.com`, firstName: 'A', lastName: 'U', editionCode: 'webex_meetings' }));
  const answer = await h.appDirect.notify(h.connector.url, token);
  return { companyUuid, token, answer };
}

describe.each([
  ['OAuth 2.0 bearer tokens issued by the connector', { mode: 'oauth2' as const, clientId: 'appdirect-notifier', clientSecret: 'notifier-SECRET-9e1-a4f0c2b7d9e63815' }, { NOTIFICATION_AUTH: 'oauth2', NOTIFICATION_OAUTH_CLIENT_ID: 'appdirect-notifier', NOTIFICATION_OAUTH_CLIENT_SECRET: 'notifier-SECRET-9e1-a4f0c2b7d9e63815' }],
  ['legacy OAuth 1.0a signatures, also used to read the event', { mode: 'oauth1' as const, ...CONSUMER }, { NOTIFICATION_AUTH: 'oauth1', APPDIRECT_FETCH_AUTH: 'oauth1', OAUTH1_CONSUMER_KEY: CONSUMER.consumerKey, OAUTH1_CONSUMER_SECRET: CONSUMER.consumerSecret }],
])('notifications verified by %s', (_name, outbound, env) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ outbound, env, inboundOAuth1: CONSUMER });
  });
  afterAll(() => h.close());

  test('a genuine notification is processed end to end', async () => {
    const { companyUuid, answer } = await orderThrough(h);
    expect(answer).toEqual({ status: 200, body: expect.objectContaining({ success: true, accountIdentifier: companyUuid }) });
    // A signed fetch needs no OAuth 2.0 token from the marketplace.
    if ('APPDIRECT_FETCH_AUTH' in env) expect(h.appDirect.counts.tokenRequests).toBe(0);
    else expect(h.appDirect.counts.tokenRequests).toBe(1);
  });

  test('Basic credentials are not accepted in this mode, and nothing is fetched', async () => {
    const fetches = h.appDirect.counts.eventFetches;
    const { token } = h.appDirect.addEvent(orderEvent({ companyUuid: randomUUID(), companyName: 'X', email: 'x@auth.example.com', firstName: 'X', lastName: 'X', editionCode: 'webex_meetings' }));
    const answer = await h.appDirect.notify(h.connector.url, token, { authOverride: `Basic ${Buffer.from('a:b').toString('base64')}` });
    expect(answer).toEqual({ status: 401, body: expect.objectContaining({ success: false, errorCode: 'UNAUTHORIZED' }) });
    expect(h.appDirect.counts.eventFetches).toBe(fetches);
  });
});
