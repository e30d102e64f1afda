import axios from 'axios';
import { startWebexSim, type WebexSim, type WebexSimOptions } from '../../../sim/webex';
import { simClient } from './simTestKit';

const CLIENT = { clientId: 'integration-client', clientSecret: 'integration-secret' };

/** A clock the test moves by hand, shared with the simulator. */
function manualClock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function grant(sim: WebexSim, fields: Record<string, string>, contentType = 'application/x-www-form-urlencoded') {
  const body = contentType === 'application/json' ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  return axios.post(`${sim.url}/access_token`, body, { headers: { 'Content-Type': contentType }, validateStatus: () => true });
}

const refreshWith = (sim: WebexSim, refreshToken: string, client = CLIENT) =>
  grant(sim, { grant_type: 'refresh_token', client_id: client.clientId, client_secret: client.clientSecret, refresh_token: refreshToken });

describe('webex sim: OAuth tokens', () => {
  let sim: WebexSim;
  const clock = manualClock();
  const start = (oauth: WebexSimOptions['oauth'] = {}) =>
    startWebexSim({ token: 'static-token', now: clock.now, oauth: { clients: [CLIENT], accessTokenLifetimeSeconds: 600, refreshTokenLifetimeSeconds: 3600, ...oauth } });
  afterEach(() => sim.close());

  test('a refresh_token grant answers tokens that work on the API, and rotates the refresh token', async () => {
    sim = await start();
    const first = sim.oauth.grantRefreshToken(CLIENT.clientId);
    const answer = await refreshWith(sim, first);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({
      access_token: expect.stringMatching(/^sim-access-/),
      expires_in: 600,
      refresh_token: expect.stringMatching(/^sim-refresh-/),
      refresh_token_expires_in: 3600,
      token_type: 'Bearer',
    });
    expect(answer.data.refresh_token).not.toBe(first);
    expect((await simClient(sim, answer.data.access_token).get('/wholesale/customers')).status).toBe(200);
    expect(sim.oauth.grantsServed()).toBe(1);

    const reused = await refreshWith(sim, first);
    expect(reused.status).toBe(400);
    expect(reused.data).toEqual({ error: 'invalid_grant', error_description: 'The refresh token was already used and replaced.', trackingId: expect.stringMatching(/^SIM_/) });
    expect((await refreshWith(sim, answer.data.refresh_token)).status).toBe(200);
  });

  test('without rotation the same refresh token comes back, its life renewed by use', async () => {
    sim = await start({ rotateRefreshTokens: false });
    const refresh = sim.oauth.grantRefreshToken(CLIENT.clientId);
    clock.advance(3000_000);
    const answer = await refreshWith(sim, refresh);
    expect(answer.data).toMatchObject({ refresh_token: refresh, refresh_token_expires_in: 3600 });
    clock.advance(3000_000);
    expect((await refreshWith(sim, refresh)).status).toBe(200);
  });

  test('access tokens expire after their lifetime and on demand; the API answers 401', async () => {
    sim = await start();
    const { data } = await refreshWith(sim, sim.oauth.grantRefreshToken(CLIENT.clientId));
    const api = simClient(sim, data.access_token);
    clock.advance(599_000);
    expect((await api.get('/people')).status).toBe(200);
    clock.advance(1_000);
    expect((await api.get('/people')).status).toBe(401);
    expect(sim.oauth.accessTokenState(data.access_token)).toBe('expired');

    const { data: next } = await refreshWith(sim, data.refresh_token);
    sim.oauth.expireAccessTokens();
    expect((await simClient(sim, next.access_token).get('/people')).status).toBe(401);
  });

  test('revoked tokens are refused: 401 for an access token (the static one too), invalid_grant for a refresh token', async () => {
    sim = await start();
    expect((await simClient(sim, 'static-token').get('/people')).status).toBe(200);
    const refresh = sim.oauth.grantRefreshToken(CLIENT.clientId);
    const { data } = await refreshWith(sim, refresh);
    sim.oauth.revoke(data.access_token);
    sim.oauth.revoke(data.refresh_token);
    sim.oauth.revoke('static-token');
    expect((await simClient(sim, data.access_token).get('/people')).status).toBe(401);
    expect((await simClient(sim, 'static-token').get('/people')).status).toBe(401);
    expect((await refreshWith(sim, data.refresh_token)).data).toMatchObject({ error: 'invalid_grant', error_description: 'The refresh token was revoked.' });
  });

  test('a refresh token expires after its lifetime', async () => {
    sim = await start();
    const refresh = sim.oauth.grantRefreshToken(CLIENT.clientId);
    clock.advance(3600_000);
    expect((await refreshWith(sim, refresh)).data).toMatchObject({ error: 'invalid_grant', error_description: 'The refresh token expired.' });
  });

  test('client credentials, grant type and form encoding are checked', async () => {
    sim = await start();
    const refresh = sim.oauth.grantRefreshToken(CLIENT.clientId);
    const wrongSecret = await refreshWith(sim, refresh, { ...CLIENT, clientSecret: 'nope' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.data.error).toBe('invalid_client');
    const otherClient = { clientId: 'other', clientSecret: 'other-secret' };
    sim.oauth.registerClient(otherClient);
    expect((await refreshWith(sim, refresh, otherClient)).data.error).toBe('invalid_grant');
    expect((await grant(sim, { grant_type: 'authorization_code', code: 'x' })).data.error).toBe('unsupported_grant_type');
    expect((await grant(sim, { grant_type: 'refresh_token', client_id: CLIENT.clientId })).data).toMatchObject({ error: 'invalid_request', error_description: 'Missing client_secret, refresh_token.' });
    const json = await grant(sim, { grant_type: 'refresh_token', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, refresh_token: refresh }, 'application/json');
    expect(json.data.error).toBe('invalid_request');
    // None of these spent the refresh token.
    expect((await refreshWith(sim, refresh)).status).toBe(200);
    expect(sim.calls.every((call) => call.path === '/access_token')).toBe(true);
  });

  test('the token endpoint draws injected faults like any other', async () => {
    sim = await start();
    sim.faults.next({ status: 503, pathPrefix: '/access_token' });
    const refresh = sim.oauth.grantRefreshToken(CLIENT.clientId);
    expect((await refreshWith(sim, refresh)).status).toBe(503);
    expect((await refreshWith(sim, refresh)).status).toBe(200);
  });
});
