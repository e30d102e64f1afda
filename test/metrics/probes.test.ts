import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import axios from 'axios';
import express from 'express';
import { createConnectorMetrics } from '../../src/metrics/connectorMetrics';
import { createHealthRouter, createMetricsRouter } from '../../src/metrics/routes';
import { openStore, Store } from '../../src/store';
import { testFailureThrottle } from '../support/failures';
import { capturingLogger } from '../support/logCapture';

/** The probes on their own, over loopback, with a real store that can be closed under them. */
describe('/ready and /metrics when the connector cannot work', () => {
  let dir: string;
  let store: Store;
  let stopping: boolean;
  let server: Server;
  let url: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probes-'));
    store = await openStore({ dataDir: dir });
    stopping = false;
    const { logger } = capturingLogger();
    const health = createHealthRouter({ store, isStopping: () => stopping, logger });
    const metrics = createMetricsRouter({ store, metrics: createConnectorMetrics(), logger, now: Date.now, failures: testFailureThrottle() });
    server = express().use(health, metrics).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (route: string) => axios.get(`${url}${route}`, { validateStatus: () => true, responseType: 'text', transformResponse: (d) => d });

  test('ready while the store answers; 503 with a reason when it does not, but still alive', async () => {
    expect((await get('/ready')).status).toBe(200);
    await store.close();
    const ready = await get('/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.data)).toEqual({ status: 'not ready', reason: 'the event store does not answer' });
    expect((await get('/health')).status).toBe(200);
  });

  test('503 "shutting down" once the connector is stopping', async () => {
    stopping = true;
    const ready = await get('/ready');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.data)).toEqual({ status: 'not ready', reason: 'shutting down' });
  });

  test('a scrape still succeeds when the store is down, and says so', async () => {
    expect(await get('/metrics')).toMatchObject({ status: 200, data: expect.stringMatching(/^connector_store_up 1$/m) });
    await store.close();
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.data).toMatch(/^connector_store_up 0$/m);
    expect(metrics.data).toMatch(/^process_cpu_user_seconds_total /m);
  });
});
