import express, { NextFunction, Request, Response, Router } from 'express';
import helmet from 'helmet';
import { constantTimeEqual } from '../appdirect/constantTime';
import type { CredentialStatus } from '../jobs/webexCredentials';
import type { Logger } from '../log';
import { callerSource } from '../server/callerSource';
import type { FailureThrottle } from '../server/failureThrottle';
import type { Store } from '../store';
import { loadEventDetails, summarize } from './eventView';
import type { Html } from './html';
import { pendingInvitations, requestInvitationResend } from './invitations';
import { recentEvents } from './recentEvents';
import { retryEvent } from './retry';
import { crossOriginReason } from './sameOrigin';
import { CSRF_FIELD, csrfTokenMatches, newSession, OperatorSession, SESSION_COOKIE, SESSION_MS, sessionFromCookie } from './session';
import { detailPage, RETRY_NOTICES, RetryNotice } from './views/detail';
import { STYLESHEET } from './views/layout';
import { eventLink, listPage, RESEND_NOTICES, ResendNotice } from './views/list';
import { loginPage, messagePage } from './views/login';
import { reconciliationPage, RUN_NOTICES, RunNotice } from './views/reconciliation';
import { reconcileNow } from '../jobs/reconcile';
import { latestReconciliation } from '../reconcile/stored';

export interface AdminDeps {
  store: Store;
  adminToken: string;
  /** The scheduled reconciliation with Webex, when RECONCILE_EVERY_MINUTES is set. */
  reconcileSchedule?: { everyMinutes: number; fix: boolean };
  /** Slows down wrong tokens; the right one is always let in. */
  failures: FailureThrottle;
  logger: Logger;
  now: () => number;
  /** The Webex credentials' health, shown as a banner when they lapse or near their end. */
  credentials?: () => CredentialStatus;
}

const RECENT_EVENTS = 100;

type SignedIn = Response<unknown, { session: OperatorSession }>;

/**
 * Every 401 names how to authenticate (RFC 9110 §11.6.1). The page signs in with a form and a cookie, which has
 * no registered scheme; this is the form the "Cookie" scheme of draft-broyer-http-cookie-auth gives it.
 */
const SIGN_IN_CHALLENGE = `Cookie realm="operator page", form-action="/admin/login", cookie-name="${SESSION_COOKIE}"`;

/**
 * The operator page, mounted at /admin only when ADMIN_TOKEN is set. Signing in sets an HttpOnly, SameSite=Strict
 * cookie holding a random session ID that the store knows; signing out revokes it there. Every POST must come from
 * a page of this server (Sec-Fetch-Site, Origin), and once signed in must carry the session's CSRF token.
 */
export function createAdminRouter(deps: AdminDeps): Router {
  const router = Router();
  router.use(
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], styleSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"] },
    }),
    // Still no referrer for other sites, but the page's own forms carry their Origin (under no-referrer it is "null").
    helmet.referrerPolicy({ policy: 'same-origin' }),
    (_req, res, next) => {
      // Pages carry customer data: no cache may keep them.
      res.set('Cache-Control', 'no-store');
      next();
    },
  );
  const form = express.urlencoded({ extended: false, limit: '2kb' });
  const page = (res: Response, status: number, body: Html) => res.status(status).type('html').send(body.text);
  const refuseForeign = (req: Request, res: Response, why: string) => {
    deps.logger.warn({ source: req.ip, path: req.path, why }, 'operator page: state-changing request refused');
    page(res, 403, messagePage('Refused', 'That request did not come from this operator page, so nothing was changed. Go back to the page and try again.'));
  };

  router.get('/style.css', (_req, res) => {
    res.type('css').send(STYLESHEET);
  });

  router.get('/login', (_req, res) => page(res, 200, loginPage()));

  router.use((req, res, next) => {
    const foreign = req.method === 'POST' ? crossOriginReason(req) : undefined;
    if (foreign) refuseForeign(req, res, foreign);
    else next();
  });

  router.post('/login', form, async (req, res) => {
    const offered = typeof req.body?.token === 'string' ? req.body.token : '';
    if (!constantTimeEqual(offered, deps.adminToken)) {
      deps.logger.warn({ source: req.ip }, 'operator page: sign-in refused');
      const slowed = await deps.failures.failed('admin', callerSource(req.ip));
      if (slowed.kind === 'shed') page(res.set('Retry-After', String(slowed.retryAfterSeconds)), 429, loginPage('Too many failed sign-ins at once; try again in a few seconds.'));
      else page(res.set('WWW-Authenticate', SIGN_IN_CHALLENGE), 401, loginPage('That token is not right.'));
      return;
    }
    const session = newSession(deps.adminToken);
    await deps.store.adminSessions.open(session.key, deps.now() + SESSION_MS, deps.now());
    res.cookie(SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/admin', maxAge: SESSION_MS });
    res.redirect(303, '/admin');
  });

  router.use(async (req, res, next) => {
    const session = sessionFromCookie(deps.adminToken, req.headers.cookie);
    if (session && (await deps.store.adminSessions.isActive(session.key, deps.now()))) {
      res.locals.session = session;
      return next();
    }
    if (req.method === 'GET') res.redirect(303, '/admin/login');
    else page(res.set('WWW-Authenticate', SIGN_IN_CHALLENGE), 401, loginPage('Please sign in first.'));
  });

  router.use(form, (req, res: SignedIn, next) => {
    if (req.method !== 'POST' || csrfTokenMatches(res.locals.session, req.body?.[CSRF_FIELD])) next();
    else refuseForeign(req, res, 'no valid CSRF token');
  });

  router.get('/', async (req, res: SignedIn) => {
    const notice = typeof req.query.resend === 'string' && Object.hasOwn(RESEND_NOTICES, req.query.resend) ? (req.query.resend as ResendNotice) : undefined;
    const [events, invitations] = await Promise.all([recentEvents(deps.store, RECENT_EVENTS), pendingInvitations(deps.store)]);
    page(res, 200, listPage(events, { invitations, notice, csrfToken: res.locals.session.csrfToken, credentials: deps.credentials?.() }));
  });

  router.post('/invitations/:email/resend', async (req: Request<{ email: string }>, res) => {
    const outcome = await requestInvitationResend(deps.store, req.params.email, deps.now());
    if (outcome.kind === 'queued') deps.logger.info({ accounts: outcome.accounts }, 'operator asked for a Webex invitation to be sent again');
    res.redirect(303, `/admin?resend=${outcome.kind === 'queued' ? 'queued' : 'unknown'}`);
  });

  router.get('/reconciliation', async (req, res: SignedIn) => {
    const notice = typeof req.query.run === 'string' && Object.hasOwn(RUN_NOTICES, req.query.run) ? (req.query.run as RunNotice) : undefined;
    const latest = await latestReconciliation(deps.store);
    page(res, 200, reconciliationPage({ latest, schedule: deps.reconcileSchedule, csrfToken: res.locals.session.csrfToken, notice }));
  });

  router.post('/reconciliation/run', async (_req, res: SignedIn) => {
    if (!deps.reconcileSchedule) {
      page(res, 404, messagePage('No schedule', 'Reconciliation is not scheduled here (RECONCILE_EVERY_MINUTES is not set).', res.locals.session.csrfToken));
      return;
    }
    const queued = await reconcileNow(deps.store, deps.now());
    if (queued) deps.logger.info('operator asked for a reconciliation with Webex now');
    res.redirect(303, `/admin/reconciliation?run=${queued ? 'queued' : 'busy'}`);
  });

  router.post('/logout', async (_req, res: SignedIn) => {
    await deps.store.adminSessions.revoke(res.locals.session.key, deps.now());
    res.clearCookie(SESSION_COOKIE, { path: '/admin' });
    res.redirect(303, '/admin/login');
  });

  router.get('/events/:token', async (req: Request<{ token: string }>, res: SignedIn) => {
    const { csrfToken } = res.locals.session;
    const details = await loadEventDetails(deps.store, req.params.token);
    if (!details) {
      page(res, 404, messagePage('Not found', 'There is no event with that token.', csrfToken));
      return;
    }
    const notice = typeof req.query.retry === 'string' && Object.hasOwn(RETRY_NOTICES, req.query.retry) ? (req.query.retry as RetryNotice) : undefined;
    page(res, 200, detailPage(summarize(details), details.timeline, csrfToken, notice));
  });

  router.post('/events/:token/retry', async (req: Request<{ token: string }>, res: SignedIn) => {
    const outcome = await retryEvent(deps.store, req.params.token, deps.now(), 'the operator page');
    if (outcome.kind === 'not_found') {
      page(res, 404, messagePage('Not found', 'There is no event with that token.', res.locals.session.csrfToken));
      return;
    }
    if (outcome.kind === 'queued') {
      deps.logger.info({ eventToken: req.params.token }, 'operator retry queued');
    }
    const notice: RetryNotice = outcome.kind === 'not_retryable' ? 'refused' : outcome.appDirectHadOutcome ? 'queued-warned' : 'queued';
    res.redirect(303, `${eventLink(req.params.token)}?retry=${notice}`);
  });

  // Whatever went wrong goes to the log; the operator gets a plain page, never a stack trace.
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err: err instanceof Error ? err.message : String(err), path: req.path }, 'operator page failed');
    if (!res.headersSent) page(res, 500, messagePage('Something went wrong', 'The page could not be shown; the connector log has the detail.', res.locals.session?.csrfToken));
  });
  return router;
}
