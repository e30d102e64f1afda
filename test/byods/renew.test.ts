import { renewDataSources } from '../../src/byods/renew';
import { RecordWriter } from '../../src/byods/records';
import { createLogger } from '../../src/log';
import { DataSourcesApi } from '../../src/webex/dataSources';
import { WebexHttp } from '../../src/webex/http';
import { recordsIn, tempDir } from './support/cli';
import { startByodsSim, type ByodsSim } from './support/sim';

/** The renewal that `byods extend`, the menu and the server's schedule share, against the simulator over HTTP. */

let sim: ByodsSim;
const logger = createLogger({ level: 'silent' });
const now = () => new Date();

beforeEach(async () => {
  sim = await startByodsSim();
});
afterEach(() => sim.close());

const api = () => new DataSourcesApi(new WebexHttp({ baseUrl: sim.url, getToken: () => sim.token, logger, sleep: async () => undefined }));

test('renews active sources expiring within the window, says why each other one was skipped, and is idempotent', async () => {
  const soon = sim.byods.seed({ url: 'https://dap.example.com/soon', tokenExpiresInMs: 30 * 60_000 });
  const expired = sim.byods.seed({ url: 'https://dap.example.com/expired', tokenExpiresInMs: -5 * 60_000 });
  const later = sim.byods.seed({ url: 'https://dap.example.com/later', tokenExpiresInMs: 6 * 3_600_000 });
  const off = sim.byods.seed({ url: 'https://dap.example.com/off', status: 'disabled', errorMessage: 'off', tokenExpiresInMs: 60_000 });
  const dir = tempDir();

  const report = await renewDataSources(api(), { ids: 'all', withinMinutes: 60, lifetimeMinutes: 720, records: new RecordWriter(dir), now });
  expect(report.outcomes.map(({ id, outcome }) => [id, outcome])).toEqual([
    [soon.id, 'renewed'],
    [expired.id, 'renewed'],
    [later.id, 'skipped'],
    [off.id, 'skipped'],
  ]);
  expect(report.outcomes[2]).toMatchObject({ reason: expect.stringMatching(/^token expires \S+ \(5h 59m left\), beyond the 60-minute window$/) });
  expect(report.outcomes[3]).toMatchObject({ reason: 'disabled' });
  // The renewed ones now last 12 hours: the earliest active expiry is the one left alone.
  expect(report.earliestExpiry?.getTime()).toBe(later.tokenExpiresAt);
  expect(sim.byods.dataSources.get(soon.id)).toMatchObject({ tokenLifetimeMinutes: 720, url: soon.url, audience: soon.audience });
  expect(sim.byods.dataSources.get(soon.id)?.nonce).not.toBe(soon.nonce);
  expect(sim.byods.dataSources.get(later.id)?.nonce).toBe(later.nonce);
  expect(recordsIn(dir)).toHaveLength(2);

  const again = await renewDataSources(api(), { ids: 'all', withinMinutes: 60, lifetimeMinutes: 720, now });
  expect(again.outcomes.map((outcome) => outcome.outcome)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
});

test('one failure does not stop the others; it is reported with its reason and its token still counts for the earliest expiry', async () => {
  const first = sim.byods.seed({ url: 'https://dap.example.com/1', tokenExpiresInMs: 60_000 });
  const second = sim.byods.seed({ url: 'https://dap.example.com/2', tokenExpiresInMs: 60_000 });
  sim.faults.next({ status: 500, times: 4, method: 'GET', pathPrefix: `/dataSources/${first.id}` });

  const report = await renewDataSources(api(), { ids: 'all', withinMinutes: 10, lifetimeMinutes: 1440, now });
  expect(report.outcomes).toEqual([
    { id: first.id, outcome: 'failed', reason: expect.stringContaining(`GET /dataSources/${first.id} (500`) },
    expect.objectContaining({ id: second.id, outcome: 'renewed' }),
  ]);
  expect(report.earliestExpiry?.getTime()).toBe(first.tokenExpiresAt);
});

test('named data sources are renewed whatever their window; a list that cannot be read is thrown', async () => {
  const named = sim.byods.seed({ url: 'https://dap.example.com/named', tokenExpiresInMs: 20 * 3_600_000 });
  const report = await renewDataSources(api(), { ids: [named.id, 'missing'], lifetimeMinutes: 60, now });
  expect(report.outcomes.map(({ id, outcome }) => [id, outcome])).toEqual([
    [named.id, 'renewed'],
    ['missing', 'failed'],
  ]);

  sim.faults.next({ status: 503, times: 4, pathPrefix: '/dataSources' });
  await expect(renewDataSources(api(), { ids: 'all', withinMinutes: 10, lifetimeMinutes: 1440, now })).rejects.toMatchObject({ status: 503 });
});
