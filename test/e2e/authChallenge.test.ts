import axios from 'axios';
import { Harness, startHarness } from '../support/harness';

const CHALLENGES = {
  basic: 'Basic realm="appdirect-notifications"',
  oauth2: 'Bearer realm="appdirect-notifications"',
  oauth1: 'OAuth realm="appdirect-notifications"',
};

const MODES: Array<[keyof typeof CHALLENGES, NodeJS.ProcessEnv]> = [
  ['basic', {}],
  ['oauth2', { NOTIFICATION_AUTH: 'oauth2', NOTIFICATION_OAUTH_CLIENT_ID: 'appdirect-notifier', NOTIFICATION_OAUTH_CLIENT_SECRET: 'notifier-SECRET-9e1-long-enough-for-the-rule' }],
  ['oauth1', { NOTIFICATION_AUTH: 'oauth1', OAUTH1_CONSUMER_KEY: 'legacy-key', OAUTH1_CONSUMER_SECRET: 'legacy-SECRET-consumer' }],
];

const http = axios.create({ validateStatus: () => true, maxRedirects: 0 });

describe.each(MODES)('every 401 says how to authenticate: NOTIFICATION_AUTH=%s', (mode, env) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env });
  });
  afterAll(() => h.close());

  test('a notification without credentials gets the challenge of the configured scheme', async () => {
    const eventUrl = `${h.appDirect.url}/api/integration/v1/events/challenge-${mode}`;
    const answer = await http.get(`${h.connector.url}/subscription_receiver`, { params: { eventUrl } });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(CHALLENGES[mode]);
    expect(answer.data).toMatchObject({ success: false, errorCode: 'UNAUTHORIZED' });
  });

  if (mode === 'oauth2') {
    test('the token endpoint answers a wrong client 401 invalid_client with a Basic challenge (RFC 6749 §5.2)', async () => {
      const answer = await http.post(`${h.connector.url}/oauth2/token`, 'grant_type=client_credentials', {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        auth: { username: 'appdirect-notifier', password: 'wrong' },
      });
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Basic realm="appdirect-notifications"');
      expect(answer.data).toEqual({ error: 'invalid_client' });
    });
  }
});
