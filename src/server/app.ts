import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { NotificationAuthConfig } from '../appdirect/notificationAuth';
import { createInboundTokenRouter } from './tokenEndpoint';
import { failure } from '../appdirect/results';
import type { CredentialStatus } from '../jobs/webexCredentials';
import { AdminDeps, createAdminRouter } from '../admin/router';
import type { TrustProxy } from '../config';
import type { ConnectorMetrics } from '../metrics/connectorMetrics';
import { createHealthRouter, createMetricsRouter } from '../metrics/routes';
import { createReceiver, ReceiverDeps } from './receiver';

export interface AppDeps extends ReceiverDeps {
  notificationAuth: NotificationAuthConfig;
  metrics: ConnectorMetrics;
  /** Which proxies may name the caller; failed attempts are counted per caller. */
  trustProxy: TrustProxy;
  /** Where /metrics is: here (with the bearer token it asks for, if any), or on its own port (METRICS_PORT). */
  metricsEndpoint: { here: true; token?: string } | { here: false };
  /** The operator page; without it (ADMIN_TOKEN unset) /admin answers 404. */
  admin?: { token: string; credentials?: () => CredentialStatus; reconcileSchedule?: AdminDeps['reconcileSchedule'] };
}

/** Express wiring only: every collaborator is passed in. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);

  // The notification route comes first, with helmet's headers set in one go: it is the hot path.
  const receiver = createReceiver(deps);
  const securityHeaders = helmetHeaders();
  app.all('/subscription_receiver', express.json({ limit: '64kb' }), (req, res, next) => {
    res.set(securityHeaders);
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(405).set('Allow', 'GET, POST').json(failure('INVALID_OPERATION', `Method ${req.method} is not allowed; AppDirect calls with GET`));
      return;
    }
    receiver(req, res).catch(next);
  });

  app.use(helmet());
  const { store, logger, now, failures } = deps;
  app.use(createHealthRouter({ store, isStopping: deps.lifecycle.isStopping, logger }));
  if (deps.metricsEndpoint.here) app.use(createMetricsRouter({ store, metrics: deps.metrics, logger, now, failures, token: deps.metricsEndpoint.token }));
  if (deps.admin) app.use('/admin', createAdminRouter({ adminToken: deps.admin.token, credentials: deps.admin.credentials, reconcileSchedule: deps.admin.reconcileSchedule, failures, store, logger, now }));

  if (deps.notificationAuth.mode === 'oauth2') app.use(createInboundTokenRouter(deps.notificationAuth, { now, logger, failures }));

  return withFallbacks(app, deps);
}

/** `/metrics` alone, for its own port (METRICS_PORT): scraped from inside the network, never exposed with the notifications. */
export function createMetricsApp(deps: Pick<AppDeps, 'store' | 'metrics' | 'logger' | 'now' | 'failures' | 'trustProxy'> & { token?: string }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.use(helmet());
  app.use(createMetricsRouter(deps));
  return withFallbacks(app, deps);
}

function withFallbacks(app: express.Express, deps: Pick<AppDeps, 'logger'>): express.Express {
  app.use((_req, res) => {
    res.status(404).json(failure('NOT_FOUND', 'No such endpoint'));
  });

  // Last resort: a short, safe message to the caller, the detail to the log.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, message } = describeRequestError(err);
    deps.logger.error({ err: err instanceof Error ? err.message : String(err), path: req.path, status }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json(failure(status === 500 ? 'UNKNOWN_ERROR' : 'INVALID_OPERATION', message));
  });
  return app;
}

/** The headers helmet's defaults set, worked out once (they are the same for every answer). */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const capture = { setHeader: (name: string, value: string) => (headers[name] = value), removeHeader: () => undefined };
  helmet()({} as Request, capture as unknown as Response, () => undefined);
  return headers;
}

/** Body-parser errors carry a type; everything else is our fault and says only that. */
function describeRequestError(err: unknown): { status: number; message: string } {
  const e = err as { status?: unknown; type?: unknown };
  if (e.type === 'entity.too.large') return { status: 413, message: 'Request body is too large' };
  if (e.type === 'entity.parse.failed') return { status: 400, message: 'Request body is not valid JSON' };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, message: 'Bad request' };
  return { status: 500, message: 'Internal error; the notification can be sent again safely' };
}
