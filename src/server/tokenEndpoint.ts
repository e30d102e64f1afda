import express, { Router } from 'express';
import type { Logger } from '../log';
import { callerSource } from './callerSource';
import type { FailureThrottle } from './failureThrottle';
import { decodeBasicCredentials, splitAuthorization } from '../appdirect/authorizationHeader';
import { constantTimeEqual } from '../appdirect/constantTime';
import { createNotificationTokens } from '../appdirect/notificationToken';
import type { NotificationAuthConfig } from '../appdirect/notificationAuth';

const DEFAULT_TTL_SECONDS = 3600;

/**
 * `POST /oauth2/token`: where AppDirect obtains, with the client-credentials grant, the bearer token it then
 * sends with each notification when the product's outbound credentials are OAuth 2.0.
 */
export function createInboundTokenRouter(
  cfg: Extract<NotificationAuthConfig, { mode: 'oauth2' }>,
  deps: { now?: () => number; logger: Logger; failures: FailureThrottle },
): Router {
  const tokens = createNotificationTokens(cfg);
  const now = deps.now ?? Date.now;
  const ttlSeconds = cfg.tokenTtlSeconds ?? DEFAULT_TTL_SECONDS;
  const router = express.Router();

  router.post('/oauth2/token', express.urlencoded({ extended: false, limit: '8kb' }), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    const form = formFields(req.body);
    const client = clientCredentials(req.get('authorization'), form);
    // Both comparisons always run, so the answer time does not tell which of the two was wrong.
    const idMatches = constantTimeEqual(client?.id ?? '', cfg.clientId);
    const secretMatches = constantTimeEqual(client?.secret ?? '', cfg.clientSecret);
    if (!client || !idMatches || !secretMatches) {
      // The offered ID is logged only when it is the configured one: an unknown "ID" could be a secret typed in the wrong field.
      const clientId = !client ? 'none given' : idMatches ? cfg.clientId : 'unknown';
      deps.logger.warn({ clientId, source: req.ip }, 'token request refused: wrong client credentials');
      const slowed = await deps.failures.failed('token', callerSource(req.ip));
      res.set('WWW-Authenticate', 'Basic realm="appdirect-notifications"');
      if (slowed.kind === 'shed') {
        res.status(429).set('Retry-After', String(slowed.retryAfterSeconds)).json({ error: 'invalid_client', error_description: 'too many failed attempts at once; try again later' });
        return;
      }
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    if (form.grant_type === undefined) {
      res.status(400).json({ error: 'invalid_request', error_description: 'grant_type is required' });
      return;
    }
    if (form.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type' });
      return;
    }
    res.json({ access_token: tokens.issue(now(), ttlSeconds), token_type: 'Bearer', expires_in: ttlSeconds });
  });
  return router;
}

function formFields(body: unknown): Record<string, string | undefined> {
  if (body === null || typeof body !== 'object') return {};
  const fields: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}

/** RFC 6749 §2.3.1: HTTP Basic, or client_id and client_secret in the form body. */
function clientCredentials(authorization: string | undefined, form: Record<string, string | undefined>) {
  const header = splitAuthorization(authorization);
  if (header?.scheme === 'basic') {
    const basic = decodeBasicCredentials(header.credentials);
    return basic && { id: basic.user, secret: basic.password };
  }
  if (form.client_id !== undefined && form.client_secret !== undefined) return { id: form.client_id, secret: form.client_secret };
  return undefined;
}
