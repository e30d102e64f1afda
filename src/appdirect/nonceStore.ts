export interface NonceStore {
  /** true when the nonce was unused and is now recorded until expiresAtMs */
  useOnce(key: string, expiresAtMs: number): Promise<boolean>;
}

/** Nonces kept in this process only: right for tests and a single instance, not for several instances behind a balancer. */
export function createMemoryNonceStore(now: () => number = Date.now): NonceStore {
  const expiries = new Map<string, number>();
  return {
    async useOnce(key, expiresAtMs) {
      const nowMs = now();
      for (const [storedKey, expiry] of expiries) {
        if (expiry <= nowMs) expiries.delete(storedKey);
      }
      if (expiries.has(key)) return false;
      expiries.set(key, expiresAtMs);
      return true;
    },
  };
}
