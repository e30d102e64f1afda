import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { createInboundTokenRouter, NotificationAuthConfig } from '../appdirect/notificationAuth';
import { failure } from '../appdirect/results';
import { createAdminRouter } from '../admin/router';
import type { ConnectorMetrics } from '../metrics/connectorMetrics';
import { createObservabilityRouter } from '../metrics/routes';
import type { AuthThrottle } from './authThrottle';
import { createReceiver, ReceiverDeps } from './receiver';

export interface AppDeps extends ReceiverDeps {
  notificationAuth: NotificationAuthConfig;
  metrics: ConnectorMetrics;
  /** The operator page; without it (ADMIN_TOKEN unset) /admin answers 404. */
  admin?: { token: string; throttle: AuthThrottle };
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY); default loopback. */
  trustProxy?: string[];
}

/** Express wiring only: every collaborator is passed in. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? ['loopback']);
  app.use(helmet());

  app.use(createObservabilityRouter({ store: deps.store, metrics: deps.metrics, isStopping: () => deps.runner.isStopping, logger: deps.logger, now: deps.now }));
  if (deps.admin) {
    const { store, logger, now, runner } = deps;
    app.use('/admin', createAdminRouter({ adminToken: deps.admin.token, throttle: deps.admin.throttle, store, logger, now, kick: (token) => runner.kick(token) }));
  }

  if (deps.notificationAuth.mode === 'oauth2') app.use(createInboundTokenRouter(deps.notificationAuth, { now: deps.now }));

  const receiver = createReceiver(deps);
  app.all('/subscription_receiver', express.json({ limit: '64kb' }), (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(405).set('Allow', 'GET, POST').json(failure('INVALID_OPERATION', `Method ${req.method} is not allowed; AppDirect calls with GET`));
      return;
    }
    receiver(req, res).catch(next);
  });

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

/** Body-parser errors carry a type; everything else is our fault and says only that. */
function describeRequestError(err: unknown): { status: number; message: string } {
  const e = err as { status?: unknown; type?: unknown };
  if (e.type === 'entity.too.large') return { status: 413, message: 'Request body is too large' };
  if (e.type === 'entity.parse.failed') return { status: 400, message: 'Request body is not valid JSON' };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return { status: e.status, message: 'Bad request' };
  return { status: 500, message: 'Internal error; the notification can be sent again safely' };
}
