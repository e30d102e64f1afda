import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { KNOWN_EVENT_TYPES } from '../appdirect/eventSchema';
import { EVENT_WORK, RESULT_DELIVERY } from '../jobs/eventJobs';
import type { QueueStats } from '../store/types';
import type { CallObserver, DataSourceRenewalObserver, DriftReading, JobObserver, RetentionObserver } from './observers';
import { CredentialReading, watchCredentialGauges } from './credentialGauges';
import { watchDriftGauges } from './driftGauges';
import { pathTemplate } from './pathTemplate';

export interface ConnectorMetrics {
  registry: Registry;
  webexCalls: CallObserver;
  /** Retries inside the Webex client (429, 5xx, timeouts on calls that are safe to repeat). */
  webexRetry: () => void;
  appDirectCalls: CallObserver;
  jobs: JobObserver;
  dataSourceRenewals: DataSourceRenewalObserver;
  retention: RetentionObserver;
  /** Starts reporting the newest reconciliation's drift, read from the store at each scrape. */
  watchDrift(read: () => Promise<DriftReading | undefined>): void;
  /** Starts reporting the Webex credentials' health and expiry, read at each scrape. */
  watchWebexCredentials(read: () => CredentialReading): void;
  /** A failed authentication at one of the endpoints that check a secret. */
  authFailure(endpoint: string): void;
  /** Reads the queue just before a scrape; when the store fails, `connector_store_up` drops to 0 and the error is thrown. */
  refreshQueue(readStats: () => Promise<QueueStats>, now: number): Promise<void>;
}

/** Event types come from AppDirect: anything this connector does not know is counted as `other`. */
const typeLabel = (type: string | undefined) => (type === undefined ? 'unread' : (KNOWN_EVENT_TYPES as readonly string[]).includes(type) ? type : 'other');

/** One registry per connector: two connectors in one process (as in the tests) never share counts. */
export function createConnectorMetrics(now: () => number = Date.now): ConnectorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const events = new Counter({ name: 'connector_events_total', help: 'Events finished, by type and outcome (success or the AppDirect error code)', labelNames: ['type', 'outcome'], registers });
  const retries = new Counter({ name: 'connector_retries_total', help: 'Retries, by scope: a Webex request, an event attempt, a result delivery', labelNames: ['scope'], registers });
  const delivered = new Counter({ name: 'connector_results_delivered_total', help: 'Results POSTed to AppDirect, by outcome (delivered, or rejected by AppDirect)', labelNames: ['outcome'], registers });
  const calls = new Histogram({
    name: 'connector_outbound_request_duration_seconds',
    help: 'Calls to Webex and AppDirect by API, method, endpoint template and HTTP status (none: no answer); _count counts the calls',
    labelNames: ['api', 'method', 'endpoint', 'status'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers,
  });
  const jobsWaiting = new Gauge({ name: 'connector_jobs_waiting', help: 'Events whose Webex work is not finished (due, backing off or waiting for Webex)', registers });
  const jobsOldest = new Gauge({ name: 'connector_jobs_oldest_age_seconds', help: 'Age of the oldest event whose work is not finished (0 when none)', registers });
  const resultsPending = new Gauge({ name: 'connector_results_pending', help: 'Results waiting to be POSTed to AppDirect', registers });
  const resultsOldest = new Gauge({ name: 'connector_results_oldest_pending_age_seconds', help: 'Age of the oldest event whose result is waiting to be POSTed (0 when none)', registers });
  const authFailures = new Counter({ name: 'connector_auth_failures_total', help: 'Failed authentications, by endpoint (notifications, token, admin, metrics)', labelNames: ['endpoint'], registers });
  const storeUp = new Gauge({ name: 'connector_store_up', help: '1 when the journal answered the last scrape, 0 when it did not (the queue gauges then keep their last values)', registers });
  const renewals = new Counter({
    name: 'connector_byods_renewals_total',
    help: 'BYODS data-source token renewals by the scheduled renewal, by outcome: renewed, failed, or list_failed (a run that could not list the data sources)',
    labelNames: ['outcome'],
    registers,
  });
  for (const outcome of ['renewed', 'failed', 'list_failed']) renewals.inc({ outcome }, 0);
  const retained = new Counter({ name: 'connector_retention_removed_total', help: 'Rows journal retention removed, by what they were (events, timeline, jobs, nonces, ...)', labelNames: ['what'], registers });
  const reclaimed = new Counter({ name: 'connector_retention_reclaimed_bytes_total', help: 'Bytes the SQLite journal file gave back after retention (0 on PostgreSQL, whose autovacuum reuses the space)', registers });
  const earliestExpiry = earliestExpiryGauge(registry, now);

  const observerFor =
    (api: string): CallObserver =>
    (call) =>
      calls.observe({ api, method: call.method, endpoint: pathTemplate(call.path), status: call.status === undefined ? 'none' : String(call.status) }, call.seconds);
  const ageSeconds = (since: number | undefined, now: number) => (since === undefined ? 0 : Math.max(0, (now - since) / 1000));

  return {
    registry,
    webexCalls: observerFor('webex'),
    webexRetry: () => retries.inc({ scope: 'webex_request' }),
    appDirectCalls: observerFor('appdirect'),
    authFailure: (endpoint) => authFailures.inc({ endpoint }),
    jobs: {
      eventSettled: (type, result) => events.inc({ type: typeLabel(type), outcome: result.success ? 'success' : result.errorCode }),
      retrying: (scope) => retries.inc({ scope }),
      resultDelivered: (outcome) => delivered.inc({ outcome }),
    },
    dataSourceRenewals: {
      runFinished(run) {
        renewals.inc({ outcome: 'renewed' }, run.renewed);
        renewals.inc({ outcome: 'failed' }, run.failed);
        earliestExpiry(run.earliestExpiry);
      },
      listFailed: () => renewals.inc({ outcome: 'list_failed' }),
    },
    retention: {
      removed({ bytesReclaimed, ...rows }) {
        for (const [what, count] of Object.entries(rows)) retained.inc({ what }, count);
        reclaimed.inc(bytesReclaimed);
      },
    },
    watchDrift: (read) => watchDriftGauges(registry, read),
    watchWebexCredentials: (read) => watchCredentialGauges(registry, read, now),
    async refreshQueue(readStats, now) {
      const stats = await readStats().catch((err: unknown) => {
        storeUp.set(0);
        throw err;
      });
      storeUp.set(1);
      const work = stats[EVENT_WORK] ?? { count: 0 };
      const delivery = stats[RESULT_DELIVERY] ?? { count: 0 };
      jobsWaiting.set(work.count);
      jobsOldest.set(ageSeconds(work.oldestCreatedAt, now));
      resultsPending.set(delivery.count);
      resultsOldest.set(ageSeconds(delivery.oldestCreatedAt, now));
    },
  };
}

/**
 * `connector_byods_earliest_token_expiry_seconds`: seconds until the first token of an active data source
 * expires (negative once it has), worked out at each scrape from the last renewal run. Absent until a run
 * found an active data source, so an alert on a low value never fires for a connector without any.
 */
function earliestExpiryGauge(registry: Registry, now: () => number): (expiresAt: number | undefined) => void {
  const name = 'connector_byods_earliest_token_expiry_seconds';
  let expiresAt: number | undefined;
  const gauge = new Gauge({
    name,
    help: 'Seconds until the first BYODS data-source token of an active data source expires (negative once expired), as of the last scheduled renewal run',
    registers: [],
    collect() {
      if (expiresAt !== undefined) this.set((expiresAt - now()) / 1000);
    },
  });
  return (next) => {
    const wasShown = expiresAt !== undefined;
    expiresAt = next;
    if (next !== undefined && !wasShown) registry.registerMetric(gauge);
    if (next === undefined && wasShown) registry.removeSingleMetric(name);
  };
}
