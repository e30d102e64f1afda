import express, { Router, type Express } from 'express';
import type { SimContext } from './context';
import { injectFaults } from './faults';
import { answerNotFound, assignTrackingId, delayBy, handleErrors, requireBearerToken } from './http';
import { settleProvisioning } from './provisioning';
import { limitRate } from './rateLimit';
import { recordCalls } from './recording';
import { WEBEX_SIM_ROUTES, type SimRouteModule } from './routes';

/**
 * The simulator as an express app. Order matters: every request gets a tracking id and is recorded
 * (faults and auth failures included), then waits the configured latency; only authenticated requests
 * can draw a fault, and only requests that pass the fault gate can see or change data.
 */
export function createWebexSimApp(ctx: SimContext, extraRoutes: readonly SimRouteModule[] = []): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(assignTrackingId);
  app.use(recordCalls(ctx.calls, ctx.now));
  app.use(delayBy(() => ctx.settings.latencyMs));
  app.use(express.json({ limit: '1mb' }));

  const api = Router();
  api.use(requireBearerToken(ctx.settings.token));
  api.use(limitRate(ctx));
  api.use(injectFaults(ctx.faults));
  api.use((_req, _res, next) => {
    settleProvisioning(ctx);
    next();
  });
  for (const routes of [...WEBEX_SIM_ROUTES, ...extraRoutes]) api.use(routes(ctx));

  app.use('/v1', api);
  app.use(answerNotFound);
  app.use(handleErrors);
  return app;
}
