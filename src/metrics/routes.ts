import { Router } from 'express';
import { splitAuthorization } from '../appdirect/authorizationHeader';
import { constantTimeEqual } from '../appdirect/constantTime';
import type { Logger } from '../log';
import { callerSource } from '../server/callerSource';
import type { FailureThrottle } from '../server/failureThrottle';
import type { Store } from '../store';
import type { ConnectorMetrics } from './connectorMetrics';

export interface HealthDeps {
  store: Store;
  isStopping: () => boolean;
  logger: Logger;
}

/** `/health` (the process answers) and `/ready` (it can take notifications). */
export function createHealthRouter(deps: HealthDeps): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    if (deps.isStopping()) {
      res.status(503).json({ status: 'not ready', reason: 'shutting down' });
      return;
    }
    try {
      await deps.store.ping();
      res.json({ status: 'ready' });
    } catch (err) {
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'readiness check: the store does not answer');
      res.status(503).json({ status: 'not ready', reason: 'the event store does not answer' });
    }
  });

  return router;
}

export interface MetricsDeps {
  store: Store;
  metrics: ConnectorMetrics;
  logger: Logger;
  now: () => number;
  /** METRICS_TOKEN: when set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  failures: FailureThrottle;
}

/** `/metrics` (Prometheus), on the main port or its own (METRICS_PORT), behind a bearer token when one is configured. */
export function createMetricsRouter(deps: MetricsDeps): Router {
  const router = Router();

  router.get('/metrics', async (req, res) => {
    if (deps.token !== undefined) {
      const header = splitAuthorization(req.get('authorization'));
      if (header?.scheme !== 'bearer' || !constantTimeEqual(header.credentials, deps.token)) {
        deps.logger.warn({ source: req.ip }, 'metrics scrape refused: wrong or missing bearer token');
        const slowed = await deps.failures.failed('metrics', callerSource(req.ip));
        res.set('WWW-Authenticate', 'Bearer realm="metrics"');
        if (slowed.kind === 'shed') res.set('Retry-After', String(slowed.retryAfterSeconds));
        res.status(slowed.kind === 'shed' ? 429 : 401).type('text').send('A bearer token (METRICS_TOKEN) is required\n');
        return;
      }
    }
    // A scrape still gets every other metric when the store is down; connector_store_up says so.
    await deps.metrics.refreshQueue(() => deps.store.queue.stats(), deps.now()).catch((err: unknown) => {
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics: could not read the queue from the store');
    });
    res.set('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return router;
}
