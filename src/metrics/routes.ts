import { Router } from 'express';
import type { Logger } from '../log';
import type { Store } from '../store';
import type { ConnectorMetrics } from './connectorMetrics';

export interface ObservabilityDeps {
  store: Store;
  metrics: ConnectorMetrics;
  isStopping: () => boolean;
  logger: Logger;
  now: () => number;
}

/** `/health` (the process answers), `/ready` (it can take notifications) and `/metrics` (Prometheus). */
export function createObservabilityRouter(deps: ObservabilityDeps): Router {
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

  router.get('/metrics', async (_req, res) => {
    // A scrape still gets every other metric when the store is down; connector_store_up says so.
    await deps.metrics.refreshQueue(() => deps.store.queue.stats(), deps.now()).catch((err: unknown) => {
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metrics: could not read the queue from the store');
    });
    res.set('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return router;
}
