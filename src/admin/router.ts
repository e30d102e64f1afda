import express, { NextFunction, Request, Response, Router } from 'express';
import helmet from 'helmet';
import { constantTimeEqual } from '../appdirect/constantTime';
import type { Logger } from '../log';
import type { AuthThrottle } from '../server/authThrottle';
import type { Store } from '../store/types';
import { summarize } from './eventView';
import type { Html } from './html';
import { recentEvents } from './recentEvents';
import { retryEvent } from './retry';
import { cookieValue, issueSession, SESSION_COOKIE, SESSION_MS, sessionIsValid } from './session';
import { detailPage, RETRY_NOTICES, RetryNotice } from './views/detail';
import { STYLESHEET } from './views/layout';
import { eventLink, listPage } from './views/list';
import { loginPage, messagePage } from './views/login';

export interface AdminDeps {
  store: Store;
  adminToken: string;
  /** Refuses a client that keeps offering wrong tokens, before any comparison. */
  throttle: AuthThrottle;
  logger: Logger;
  now: () => number;
  /** Starts a requeued event at once instead of at the runner's next look at the queue. */
  kick: (token: string) => void;
}

const RECENT_EVENTS = 100;

/**
 * Every 401 names how to authenticate (RFC 9110 §11.6.1). The page signs in with a form and a cookie, which has
 * no registered scheme; this is the form the "Cookie" scheme of draft-broyer-http-cookie-auth gives it.
 */
const SIGN_IN_CHALLENGE = `Cookie realm="operator page", form-action="/admin/login", cookie-name="${SESSION_COOKIE}"`;

/**
 * The operator page, mounted at /admin only when ADMIN_TOKEN is set. Signing in sets an HttpOnly,
 * SameSite=Strict cookie, so a form on another site can never retry an event in the operator's name.
 */
export function createAdminRouter(deps: AdminDeps): Router {
  const router = Router();
  router.use(
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], styleSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
    }),
    (_req, res, next) => {
      // Pages carry customer data: no cache may keep them.
      res.set('Cache-Control', 'no-store');
      next();
    },
  );
  const form = express.urlencoded({ extended: false, limit: '2kb' });
  const page = (res: Response, status: number, body: Html) => res.status(status).type('html').send(body.text);

  router.get('/style.css', (_req, res) => {
    res.type('css').send(STYLESHEET);
  });

  router.get('/login', (_req, res) => page(res, 200, loginPage()));

  router.post('/login', form, (req, res) => {
    const client = req.ip ?? 'unknown';
    const waitMs = deps.throttle.blockedFor(client);
    if (waitMs > 0) {
      page(res.set('Retry-After', String(Math.ceil(waitMs / 1000))), 429, loginPage(`Too many failed sign-ins; try again in ${Math.ceil(waitMs / 60_000)} minute(s).`));
      return;
    }
    const offered = typeof req.body?.token === 'string' ? req.body.token : '';
    if (!constantTimeEqual(offered, deps.adminToken)) {
      deps.throttle.failed(client);
      deps.logger.warn({ ip: client }, 'operator page: sign-in refused');
      page(res.set('WWW-Authenticate', SIGN_IN_CHALLENGE), 401, loginPage('That token is not right.'));
      return;
    }
    deps.throttle.succeeded(client);
    res.cookie(SESSION_COOKIE, issueSession(deps.adminToken, deps.now()), { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/admin', maxAge: SESSION_MS });
    res.redirect(303, '/admin');
  });

  router.post('/logout', (_req, res) => {
    res.clearCookie(SESSION_COOKIE, { path: '/admin' });
    res.redirect(303, '/admin/login');
  });

  router.use((req, res, next) => {
    if (sessionIsValid(deps.adminToken, cookieValue(req.headers.cookie, SESSION_COOKIE), deps.now())) return next();
    if (req.method === 'GET') res.redirect(303, '/admin/login');
    else page(res.set('WWW-Authenticate', SIGN_IN_CHALLENGE), 401, loginPage('Please sign in first.'));
  });

  router.get('/', async (_req, res) => {
    page(res, 200, listPage(await recentEvents(deps.store, RECENT_EVENTS)));
  });

  router.get('/events/:token', async (req: Request<{ token: string }>, res) => {
    const record = await deps.store.get(req.params.token);
    if (!record) {
      page(res, 404, messagePage('Not found', 'There is no event with that token.'));
      return;
    }
    const timeline = await deps.store.timeline(record.token);
    const notice = typeof req.query.retry === 'string' && Object.hasOwn(RETRY_NOTICES, req.query.retry) ? (req.query.retry as RetryNotice) : undefined;
    page(res, 200, detailPage(summarize(record, timeline), timeline, notice));
  });

  router.post('/events/:token/retry', async (req: Request<{ token: string }>, res) => {
    const outcome = await retryEvent(deps.store, req.params.token, deps.now(), 'the operator page');
    if (outcome.kind === 'not_found') {
      page(res, 404, messagePage('Not found', 'There is no event with that token.'));
      return;
    }
    if (outcome.kind === 'queued') {
      deps.logger.info({ eventToken: req.params.token }, 'operator retry queued');
      deps.kick(req.params.token);
    }
    const notice: RetryNotice = outcome.kind === 'not_retryable' ? 'refused' : outcome.appDirectHadOutcome ? 'queued-warned' : 'queued';
    res.redirect(303, `${eventLink(req.params.token)}?retry=${notice}`);
  });

  // Whatever went wrong goes to the log; the operator gets a plain page, never a stack trace.
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err: err instanceof Error ? err.message : String(err), path: req.path }, 'operator page failed');
    if (!res.headersSent) page(res, 500, messagePage('Something went wrong', 'The page could not be shown; the connector log has the detail.'));
  });
  return router;
}
