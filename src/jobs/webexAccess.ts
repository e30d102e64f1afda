import type { Config } from '../config';
import type { Logger } from '../log';
import type { CallObserver } from '../metrics/observers';
import type { Store } from '../store';
import { createWebexClient, WebexClient } from '../webex/client';
import type { WebexPacer } from '../webex/pacer';
import { WebexTokenSource } from '../webex/tokenSource';
import { tokenSeed } from '../webex/tokenVault';
import { storeTokenVault } from './webexCredentials';

/** Metrics hooks of the Webex HTTP layer; absent where nobody scrapes (the events CLI). */
export interface WebexCallObservers {
  onCall?: CallObserver;
  onRetry?: () => void;
}

const WEBEX_CREDENTIAL_NAMES = {
  client: 'WEBEX_CLIENT_ID and WEBEX_CLIENT_SECRET',
  refreshToken: 'WEBEX_REFRESH_TOKEN (or give one without a restart: npm run events -- webex-login)',
  accessToken: 'WEBEX_TOKEN',
};

/**
 * The token source of every wholesale call, for the server and the events CLI alike: a fixed WEBEX_TOKEN (said to
 * expire), or renewable credentials whose newest tokens the store keeps, so a restart, another instance or a CLI
 * run continues with them.
 */
export function connectorTokenSource(config: Pick<Config, 'webex'>, store: Store, logger: Logger, now: () => number, observers: WebexCallObservers = {}): WebexTokenSource {
  const credentials = config.webex.credentials;
  const common = { baseUrl: config.webex.baseUrl, logger, now, names: WEBEX_CREDENTIAL_NAMES, http: { timeoutMs: config.webex.timeoutMs, ...observers } };
  if (credentials.kind === 'static') {
    logger.warn(
      'WEBEX_TOKEN is a fixed access token: it expires (a personal token after 12 hours) and nothing can renew it; events then wait until it is replaced. For months unattended, give an integration\'s WEBEX_CLIENT_ID, WEBEX_CLIENT_SECRET and WEBEX_REFRESH_TOKEN instead (docs/webex-credentials.md).',
    );
    return new WebexTokenSource({ ...common, accessToken: credentials.accessToken });
  }
  const client = { clientId: credentials.clientId, clientSecret: credentials.clientSecret };
  return new WebexTokenSource({
    ...common,
    client,
    refreshToken: credentials.refreshToken,
    accessToken: credentials.accessToken,
    vault: storeTokenVault(store, tokenSeed(client.clientId, credentials.refreshToken), now),
  });
}

/**
 * A Webex client authorised by `tokens`, its calls spaced by the connector's `pacer` (shared by every client of one
 * connector). `beforeCall` runs before every request (pages and retries included): a caller that must keep to a
 * smaller share of the rate budget waits there.
 */
export function connectorWebexClient(
  config: Pick<Config, 'webex'>,
  tokens: WebexTokenSource,
  logger: Logger,
  observers: WebexCallObservers = {},
  pacing: { pacer?: WebexPacer; beforeCall?: () => Promise<void> } = {},
): WebexClient {
  const { beforeCall } = pacing;
  return createWebexClient({
    baseUrl: config.webex.baseUrl,
    getToken: beforeCall
      ? async () => {
          await beforeCall();
          return tokens.getToken();
        }
      : tokens.getToken,
    refreshToken: tokens.refreshToken,
    timeoutMs: config.webex.timeoutMs,
    logger,
    pacer: pacing.pacer,
    ...observers,
  });
}
