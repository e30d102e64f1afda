import type { Logger } from '../log';
import type { Store } from '../store';
import { WebexCredentialsError } from '../webex/errors';
import type { WebexTokenSource } from '../webex/tokenSource';
import type { StoredTokens, TokenVault } from '../webex/tokenVault';
import { errorText, JobHandler } from './runner';

export const WEBEX_CREDENTIALS_CHECK = 'webex.credentials';
const CHECK_JOB_ID = 'webex-credentials';
/** The job state of events held until Webex credentials work again. */
export const WAITING_FOR_CREDENTIALS = 'Webex credentials';
const CREDENTIAL = 'webex';
/** Refresh tokens closer than this to expiry are renewed at once, and said to need attention if that does not help. */
export const REFRESH_WARNING_MS = 14 * 24 * 3600_000;
const LAPSED_LOG_EVERY_MS = 60_000;
const CHECK_EVERY_MS = { valid: 60 * 60_000, lapsed: 60_000 };

/**
 * The connector's Webex tokens in the store. The operator's WEBEX_REFRESH_TOKEN is the lineage (`configSeed`):
 * stored tokens descending from the value the connector last started with win over it (they are newer), a
 * different value is a new credential that replaces them, and tokens an operator supplied through the store
 * (`events webex-login`, lineage '*') are taken whatever the configuration says.
 */
export function storeTokenVault(store: Store, configSeed: string, now: () => number): TokenVault {
  return {
    async load() {
      const stored = await store.credentials.load(CREDENTIAL);
      if (!stored || (stored.configSeed !== configSeed && stored.configSeed !== '*')) return undefined;
      return { ...(stored.secrets as StoredTokens), seed: configSeed };
    },
    save: (tokens) => store.credentials.save(CREDENTIAL, tokens, configSeed, now()),
    exclusive: (work) => store.exclusive('webex-token-renewal', work),
  };
}

/**
 * An operator supplies a new refresh token without a restart: the running connector renews with it at its next
 * look (within a minute), and every event waiting for credentials resumes.
 */
export async function supplyRefreshToken(store: Store, refreshToken: string, now: number): Promise<void> {
  const tokens: Omit<StoredTokens, 'seed'> = { accessToken: '', accessExpiresAt: 0, obtainedAt: now, refreshToken };
  await store.transaction(async (tx) => {
    await tx.credentials.save(CREDENTIAL, tokens, '*', now);
    await tx.queue.bringForward(CHECK_JOB_ID, now, now);
  });
}

export interface CredentialStatus {
  valid: boolean;
  renewable: boolean;
  /** What Webex answered and what to do, while not valid. */
  problem?: string;
  since?: number;
  accessExpiresAt?: number;
  refreshExpiresAt?: number;
  /** Said when the refresh token has less than 14 days left. */
  warning?: string;
}

/**
 * What the connector knows about its Webex credentials. Events that meet a credential failure report it here
 * (and wait); the scheduled check renews, warns ahead of expiry, logs the lapse once a minute, and when the
 * credentials work again brings every waiting event forward.
 */
export class WebexCredentialWatch {
  private lapse?: { problem: string; since: number; loggedAt: number };
  private warning?: string;

  constructor(private readonly deps: { tokens: WebexTokenSource; store: Store; logger: Logger; now: () => number }) {}

  status(): CredentialStatus {
    const { renewable, accessExpiresAt, refreshExpiresAt } = this.deps.tokens.state();
    return { valid: !this.lapse, renewable, problem: this.lapse?.problem, since: this.lapse?.since, accessExpiresAt, refreshExpiresAt, warning: this.warning };
  }

  lapsed(err: WebexCredentialsError): void {
    const now = this.deps.now();
    if (!this.lapse) this.lapse = { problem: err.message, since: now, loggedAt: 0 };
    this.lapse.problem = err.message;
    if (now - this.lapse.loggedAt < LAPSED_LOG_EVERY_MS) return;
    this.lapse.loggedAt = now;
    this.deps.logger.error(
      { credential: err.details.credentialName, oauthError: err.details.oauthError, status: err.details.status, trackingId: err.details.trackingId, since: new Date(this.lapse.since).toISOString() },
      `Webex credentials do not work; events needing Webex wait until they do. ${err.message}`,
    );
  }

  /** Renews when due (or when the refresh token nears its end), and tells whether Webex credentials work now. */
  async check(): Promise<boolean> {
    const { tokens, now } = this.deps;
    try {
      await tokens.getToken();
      const { refreshExpiresAt } = tokens.state();
      if (refreshExpiresAt !== undefined && refreshExpiresAt - now() < REFRESH_WARNING_MS) {
        // Using the refresh token usually extends its life; renew now rather than let it run out unused.
        await tokens.refreshToken();
        this.warnIfEnding();
      } else this.warning = undefined;
    } catch (err) {
      if (!(err instanceof WebexCredentialsError)) throw err;
      this.lapsed(err);
      return false;
    }
    await this.restored();
    return true;
  }

  private warnIfEnding(): void {
    const { refreshExpiresAt } = this.deps.tokens.state();
    if (refreshExpiresAt === undefined || refreshExpiresAt - this.deps.now() >= REFRESH_WARNING_MS) {
      this.warning = undefined;
      return;
    }
    const days = Math.max(0, Math.floor((refreshExpiresAt - this.deps.now()) / (24 * 3600_000)));
    this.warning = `The Webex refresh token expires in ${days} day(s) (${new Date(refreshExpiresAt).toISOString()}) and using it did not extend it: authorise the integration again and give the new refresh token (npm run events -- webex-login).`;
    this.deps.logger.warn(this.warning);
  }

  private async restored(): Promise<void> {
    const { store, logger, now } = this.deps;
    const was = this.lapse;
    this.lapse = undefined;
    const resumed = await store.queue.bringForwardWaiting(WAITING_FOR_CREDENTIALS, now(), now());
    if (was || resumed) logger.info({ resumed, lapsedSince: was && new Date(was.since).toISOString() }, 'Webex credentials work again; waiting events resume');
  }
}

/** The scheduled check: hourly while the credentials work, every minute while they do not. */
export function credentialCheckHandler(watch: WebexCredentialWatch): JobHandler {
  return {
    kind: WEBEX_CREDENTIALS_CHECK,
    async run(ctx) {
      let valid = false;
      try {
        valid = await watch.check();
      } catch (err) {
        // The token endpoint did not answer (a network failure, a 5xx): not a verdict on the credentials.
        ctx.log.warn({ problem: errorText(err) }, 'could not check the Webex credentials; trying again shortly');
      }
      return { kind: 'later', runAt: ctx.now() + (valid ? CHECK_EVERY_MS.valid : CHECK_EVERY_MS.lapsed), failed: false, waitingFor: 'the next credential check' };
    },
  };
}

/** At start the first check is due at once. */
export async function scheduleCredentialCheck(store: Store, now: number): Promise<void> {
  const added = await store.queue.enqueue({ id: CHECK_JOB_ID, kind: WEBEX_CREDENTIALS_CHECK, runAt: now }, now);
  if (!added) await store.queue.bringForward(CHECK_JOB_ID, now, now);
}
