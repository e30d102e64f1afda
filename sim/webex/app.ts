import express, { Router, type Express } from 'express';
import type { SimContext } from './context';
import { injectFaults } from './faults';
import { answerNotFound, assignTrackingId, delayBy, handleErrors, requireBearerToken } from './http';
import { settleProvisioning } from './provisioning';
import { accessTokenRoutes } from './oauth';
import { limitRate } from './rateLimit';
import { recordCalls } from './recording';
import { WEBEX_SIM_ROUTES, type SimRouteModule } from './routes';

/**
 * The simulator as an express app. Order matters: every request gets a tracking id and is recorded
 * (faults and auth failures included), then waits the configured latency; only authenticated requests
 * can draw a fault, and only requests that pass the fault gate can see or change data.
 * `publicRoutes` are served from the root, outside `/v1` and without a token, as Webex serves its
 * public signing keys from another host.
 */
export function createWebexSimApp(ctx: SimContext, extraRoutes: readonly SimRouteModule[] = [], publicRoutes: readonly SimRouteModule[] = []): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(assignTrackingId);
  app.use(recordCalls(ctx.calls, ctx.now));
  app.use(delayBy(() => ctx.settings.latencyMs));
  app.use(express.json({ limit: '1mb' }));

  const api = Router();
  // The token endpoint authenticates by its form body, so it comes before the bearer check.
  api.use(accessTokenRoutes(ctx));
  api.use(requireBearerToken(ctx));
  api.use(limitRate(ctx));
  api.use(injectFaults(ctx.faults));
  api.use((_req, _res, next) => {
    settleProvisioning(ctx);
    next();
  });
  for (const routes of [...WEBEX_SIM_ROUTES, ...extraRoutes]) api.use(routes(ctx));

  app.use('/v1', api);
  for (const routes of publicRoutes) app.use(routes(ctx));
  app.use(answerNotFound);
  app.use(handleErrors);
  return app;
}
