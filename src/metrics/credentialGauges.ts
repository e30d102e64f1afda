import { Gauge, Registry } from 'prom-client';

/** What the gauges read of the connector's Webex credentials, at each scrape. */
export interface CredentialReading {
  valid: boolean;
  accessExpiresAt?: number;
  refreshExpiresAt?: number;
}

/**
 * `connector_webex_credentials_valid` (1, or 0 while events wait for a working credential) and the seconds until
 * the access and the refresh token expire (absent when unknown, as for a fixed WEBEX_TOKEN): the alerts to set.
 */
export function watchCredentialGauges(registry: Registry, read: () => CredentialReading, now: () => number): void {
  const secondsUntil = (at: number | undefined) => (at === undefined ? undefined : (at - now()) / 1000);
  const gauge = (name: string, help: string, value: (reading: CredentialReading) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const v = value(read());
        if (v === undefined) this.reset();
        else this.set(v);
      },
    });
  gauge('connector_webex_credentials_valid', '1 while the Webex credentials work; 0 while events needing Webex wait for a working credential', (r) => (r.valid ? 1 : 0));
  gauge('connector_webex_access_token_expiry_seconds', 'Seconds until the current Webex access token expires (renewed well before)', (r) => secondsUntil(r.accessExpiresAt));
  gauge('connector_webex_refresh_token_expiry_seconds', 'Seconds until the Webex refresh token expires (each renewal usually extends it)', (r) => secondsUntil(r.refreshExpiresAt));
}
