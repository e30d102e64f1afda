import type { StoredTokens, TokenVault } from '../../../src/webex/tokenVault';

/**
 * A vault shared by several token sources in one test, standing in for a database row: `exclusive` runs
 * one holder at a time (as a row lock would), and every save is kept so a test can follow the rotation.
 */
export class SharedMemoryVault implements TokenVault {
  readonly saved: StoredTokens[] = [];
  private stored: StoredTokens | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(initial?: StoredTokens) {
    this.stored = initial;
  }

  async load(): Promise<StoredTokens | undefined> {
    return this.stored && { ...this.stored };
  }

  async save(tokens: StoredTokens): Promise<void> {
    this.stored = { ...tokens };
    this.saved.push({ ...tokens });
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
