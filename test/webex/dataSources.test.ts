import { refreshAccessToken } from '../../src/webex/accessTokenGrant';
import { createServiceAppToken } from '../../src/webex/applicationTokens';
import { DataSourcesApi, dataSource } from '../../src/webex/dataSources';
import { WebexApiError } from '../../src/webex/errors';
import { WebexHttp } from '../../src/webex/http';
import { createLogger } from '../../src/log';
import { SERVICE_APP, startByodsSim, type ByodsSim } from '../byods/support/sim';

/** The data sources API client against the simulator, over real HTTP on loopback. */

let sim: ByodsSim;
const logger = createLogger({ level: 'silent' });

beforeEach(async () => {
  sim = await startByodsSim();
});
afterEach(() => sim.close());

function api(token = sim.token): DataSourcesApi {
  return new DataSourcesApi(new WebexHttp({ baseUrl: sim.url, getToken: () => token, logger, sleep: async () => undefined }));
}

async function failure(promise: Promise<unknown>): Promise<WebexApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WebexApiError)) throw new Error(`expected a WebexApiError, got ${String(err)}`);
  return err;
}

const configuration = {
  schemaId: '78efc775-dccb-45ca-9acf-989a4a59f788',
  url: 'https://dap.example.com/api',
  audience: 'Aud',
  subject: 'Sub',
  nonce: 'nonce-one',
  tokenLifetimeMinutes: 60,
};

test('create, get, list and update round-trip the fields, with a new token on each change', async () => {
  const client = api();
  const created = await client.create(configuration);
  expect(created).toMatchObject({ ...configuration, status: 'active' });
  expect(Date.parse(created.tokenExpiryTime ?? '') - Date.now()).toBeGreaterThan(59 * 60_000);
  expect(created.jwsToken?.split('.')).toHaveLength(3);

  expect(await client.get(created.id)).toMatchObject({ id: created.id, url: configuration.url });
  expect((await client.list()).map((source) => source.id)).toEqual([created.id]);

  const updated = await client.update(created.id, { ...configuration, nonce: 'nonce-two', tokenLifetimeMinutes: 1440, status: 'disabled', errorMessage: 'Paused' });
  expect(updated).toMatchObject({ status: 'disabled', errorMessage: 'Paused', tokenLifetimeMinutes: 1440 });
  expect(updated.jwsToken).not.toBe(created.jwsToken);
  expect(sim.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
    'POST /dataSources',
    `GET /dataSources/${created.id}`,
    'GET /dataSources/',
    `PUT /dataSources/${created.id}`,
  ]);
});

test('list follows pagination', async () => {
  for (let i = 0; i < 3; i++) sim.byods.seed({ url: `https://dap.example.com/${i}` });
  const http = new WebexHttp({ baseUrl: sim.url, getToken: () => sim.token, logger });
  const listed = await http.listAll('/dataSources/', { max: 2 }, dataSource);
  expect(listed).toHaveLength(3);
});

test('schemas are listed and fetched one by one', async () => {
  const client = api();
  const schemas = await client.listSchemas();
  expect(schemas.map((schema) => schema.serviceType)).toEqual(['webService', 'contactCenter']);
  expect(await client.getSchema(schemas[1].id)).toMatchObject({ id: schemas[1].id, serviceType: 'contactCenter' });
  expect((await failure(client.getSchema('nope'))).status).toBe(404);
});

test('the contract rules: lifetime 1-1440, http(s) URL, a new nonce on update, an error message to disable, 404 for unknown IDs', async () => {
  const client = api();
  const tooLong = await failure(client.create({ ...configuration, tokenLifetimeMinutes: 1441 }));
  expect(tooLong.status).toBe(400);
  expect(tooLong.details.webexMessage).toContain('tokenLifetimeMinutes');
  expect(tooLong.trackingId).toMatch(/^SIM_/);
  expect((await failure(client.create({ ...configuration, url: 'ftp://dap.example.com' }))).details.webexMessage).toContain('url');

  const created = await client.create(configuration);
  const sameNonce = await failure(client.update(created.id, { ...configuration }));
  expect(sameNonce.details.webexMessage).toBe('The nonce must be different from the current nonce.');
  const noMessage = await failure(client.update(created.id, { ...configuration, nonce: 'fresh', status: 'disabled' }));
  expect(noMessage.details.webexMessage).toBe('An errorMessage is required to disable a data source.');
  expect((await failure(client.get('missing'))).status).toBe(404);
  expect((await failure(client.update('missing', { ...configuration, nonce: 'x' }))).status).toBe(404);
});

test('a 429 with Retry-After is waited out, for GET and for a create', async () => {
  const waits: number[] = [];
  const client = new DataSourcesApi(new WebexHttp({ baseUrl: sim.url, getToken: () => sim.token, logger, sleep: async (ms) => void waits.push(ms) }));
  sim.faults.next({ status: 429, retryAfterSeconds: 2, pathPrefix: '/dataSources' });
  await client.list();
  sim.faults.next({ status: 429, retryAfterSeconds: 3, method: 'POST', pathPrefix: '/dataSources' });
  await client.create(configuration);
  expect(waits).toEqual([2000, 3000]);
  expect(sim.byods.dataSources.size).toBe(1);
});

test('the application token endpoint hands out an OAuth token pair: the access token works, the refresh token renews it', async () => {
  const personal = new WebexHttp({ baseUrl: sim.url, getToken: () => sim.token, logger });
  const pair = await createServiceAppToken(personal, { ...SERVICE_APP, targetOrgId: 'org' });
  expect(pair).toEqual({ accessToken: expect.any(String), expiresInSeconds: expect.any(Number), refreshToken: expect.any(String), refreshTokenExpiresInSeconds: expect.any(Number) });
  expect(await api(pair.accessToken).list()).toEqual([]);
  expect(sim.byods.tokensIssued()).toBe(1);

  const renewed = await refreshAccessToken(new WebexHttp({ baseUrl: sim.url, getToken: () => '', logger }), SERVICE_APP, pair.refreshToken!);
  expect(renewed.refreshToken).not.toBe(pair.refreshToken);
  expect(await api(renewed.accessToken).list()).toEqual([]);

  sim.oauth.revoke(renewed.accessToken);
  expect((await failure(api(renewed.accessToken).list())).status).toBe(401);
});

test('the application token endpoint checks the app and its credentials', async () => {
  const personal = new WebexHttp({ baseUrl: sim.url, getToken: () => sim.token, logger });
  const wrongSecret = await failure(createServiceAppToken(personal, { ...SERVICE_APP, clientSecret: 'wrong', targetOrgId: 'org' }));
  expect(wrongSecret.status).toBe(401);
  expect(wrongSecret.details.webexMessage).toContain('clientSecret is invalid');
  expect((await failure(createServiceAppToken(personal, { ...SERVICE_APP, appId: 'other', targetOrgId: 'org' }))).status).toBe(404);
  expect((await failure(createServiceAppToken(personal, { ...SERVICE_APP, targetOrgId: '' }))).status).toBe(400);
  expect(sim.byods.tokensIssued()).toBe(0);
});
