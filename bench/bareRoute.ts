import express from 'express';
import { createMemoryNonceStore, createNotificationVerifier } from '../src/appdirect/notificationAuth';

/** The body the connector answers a notification with when it will send the result later. */
const ACCEPTED = { success: true, message: 'Accepted; the result will be sent when Webex has finished' };

/**
 * The reference of the acknowledgement benchmark: a bare Express route on the connector's path that checks the
 * same Basic credentials with the connector's own verifier (both parts compared in constant time) and answers
 * 202 with the connector's body, journaling nothing. What the connector takes beyond this is the cost of its work.
 */
function main(): void {
  const setting = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const verifier = createNotificationVerifier({ mode: 'basic', username: setting('BASIC_USERNAME'), password: setting('BASIC_PASSWORD') }, { nonces: createMemoryNonceStore() });
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.all('/subscription_receiver', (req, res, next) => {
    verifier.verify(req).then((verdict) => {
      if (verdict.ok) res.status(202).json(ACCEPTED);
      else res.status(401).json({ success: false, errorCode: 'UNAUTHORIZED', message: `Notification not authorised: ${verdict.reason}` });
    }, next);
  });
  app.listen(Number(setting('PORT')), '127.0.0.1');
  // Exiting (rather than dying of the signal) lets node write the CPU profile the benchmark asked for.
  process.once('SIGTERM', () => process.exit(0));
}

main();
