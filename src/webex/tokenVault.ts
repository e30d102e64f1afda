import { createHash } from 'node:crypto';

/**
 * The Webex tokens a token source obtained, as a vault keeps them. Times are epoch milliseconds.
 * Secrets: a vault keeps them where only the service can read them, and never logs them.
 */
export interface StoredTokens {
  accessToken: string;
  /** When Webex stops taking the access token. */
  accessExpiresAt: number;
  /** When it was obtained; with `accessExpiresAt` its lifetime, which bounds how early it is renewed. */
  obtainedAt: number;
  /** The newest refresh token Webex returned; absent when none was given. */
  refreshToken?: string;
  refreshExpiresAt?: number;
  /**
   * Opaque to the vault: which operator-supplied credential these tokens descend from (`tokenSeed`).
   * A token source ignores stored tokens whose seed is not its own: the operator supplied a new credential.
   */
  seed: string;
}

/**
 * Where a token source keeps its newest tokens, so a restart (or another instance) continues with the
 * current refresh token rather than a stale one from the configuration.
 */
export interface TokenVault {
  /** The tokens last saved, or undefined when there are none. */
  load(): Promise<StoredTokens | undefined>;
  /** Replaces what is stored, atomically: a reader sees the old tokens or the new, never a mix. */
  save(tokens: StoredTokens): Promise<void>;
  /**
   * Runs `work` while no other holder of the same vault (another process or instance) runs its own:
   * the token source renews inside it, after reading the vault again, so exactly one renews and the
   * others take its result. Without it, renewals in different processes may race.
   */
  exclusive?<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * The seed of tokens descending from `refreshToken` (or from a bootstrap, when none was supplied) of
 * `clientId`: a hash, so that a vault holds no further copy of the operator's credential.
 */
export function tokenSeed(clientId: string | undefined, refreshToken: string | undefined): string {
  return `sha256:${createHash('sha256').update(`${clientId ?? ''}\n${refreshToken ?? ''}`).digest('hex')}`;
}
