import { renewExpiringDataSources } from '../../src/byods/renew';
import { RecordWriter } from '../../src/byods/records';
import { createLogger } from '../../src/log';
import { DataSourcesApi } from '../../src/webex/dataSources';
import { WebexHttp } from '../../src/webex/http';
import { recordsIn, tempDir } from './support/cli';
import { startByodsSim, type ByodsSim } from './support/sim';

/** The function the connector server calls on a schedule, against the simulator over HTTP. */

let sim: ByodsSim;
let logLines: Array<Record<string, unknown>>;
let logText: string;

beforeEach(async () => {
  sim = await startByodsSim();
  logLines = [];
  logText = '';
});
afterEach(() => sim.close());

function setup(): { api: DataSourcesApi; logger: ReturnType<typeof createLogger> } {
  const logger = createLogger({
    level: 'info',
    destination: {
      write: (line: string) => {
        logText += line;
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  return { api: new DataSourcesApi(new WebexHttp({ baseUrl: sim.url, getToken: () => sim.token, logger, sleep: async () => undefined })), logger };
}

test('renews active sources expiring within the window, skips the rest, and is idempotent', async () => {
  const soon = sim.byods.seed({ url: 'https://dap.example.com/soon', tokenExpiresInMs: 30 * 60_000 });
  const expired = sim.byods.seed({ url: 'https://dap.example.com/expired', tokenExpiresInMs: -5 * 60_000 });
  const later = sim.byods.seed({ url: 'https://dap.example.com/later', tokenExpiresInMs: 6 * 3_600_000 });
  sim.byods.seed({ url: 'https://dap.example.com/off', status: 'disabled', errorMessage: 'off', tokenExpiresInMs: 60_000 });
  const { api, logger } = setup();
  const dir = tempDir();

  const outcome = await renewExpiringDataSources(api, { withinMinutes: 60, lifetimeMinutes: 720, records: new RecordWriter(dir), logger });
  expect(outcome).toEqual({ renewed: [soon.id, expired.id], failed: [], skipped: 2 });
  expect(sim.byods.dataSources.get(soon.id)).toMatchObject({ tokenLifetimeMinutes: 720, url: soon.url, audience: soon.audience });
  expect(sim.byods.dataSources.get(soon.id)?.nonce).not.toBe(soon.nonce);
  expect(sim.byods.dataSources.get(later.id)?.nonce).toBe(later.nonce);
  expect(recordsIn(dir)).toHaveLength(2);
  expect(logLines.filter((line) => line.msg === 'BYODS data source token renewed').map((line) => line.dataSourceId)).toEqual([soon.id, expired.id]);

  const again = await renewExpiringDataSources(api, { withinMinutes: 60, lifetimeMinutes: 720, logger });
  expect(again).toEqual({ renewed: [], failed: [], skipped: 4 });
  for (const source of sim.byods.dataSources.values()) expect(logText).not.toContain(source.jwsToken);
  expect(logText).not.toContain(sim.token);
});

test('one failure does not stop the others and is reported with its reason', async () => {
  const first = sim.byods.seed({ url: 'https://dap.example.com/1', tokenExpiresInMs: 60_000 });
  const second = sim.byods.seed({ url: 'https://dap.example.com/2', tokenExpiresInMs: 60_000 });
  sim.faults.next({ status: 500, times: 4, method: 'GET', pathPrefix: `/dataSources/${first.id}` });
  const { api, logger } = setup();

  const outcome = await renewExpiringDataSources(api, { withinMinutes: 10, lifetimeMinutes: 1440, logger });
  expect(outcome.renewed).toEqual([second.id]);
  expect(outcome.failed).toEqual([{ id: first.id, message: expect.stringContaining(`GET /dataSources/${first.id} (500`) }]);
  expect(logLines).toContainEqual(expect.objectContaining({ msg: 'BYODS data source token renewal failed', dataSourceId: first.id }));
});

test('a list that cannot be read is thrown to the caller', async () => {
  sim.faults.next({ status: 503, times: 4, pathPrefix: '/dataSources' });
  const { api, logger } = setup();
  await expect(renewExpiringDataSources(api, { withinMinutes: 10, lifetimeMinutes: 1440, logger })).rejects.toMatchObject({ status: 503 });
});
