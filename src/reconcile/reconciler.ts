import type { ProvisioningSettings } from '../config';
import type { Logger } from '../log';
import type { Store } from '../store';
import type { WebexClient } from '../webex/client';
import { WebexCredentialsError } from '../webex/errors';
import { LIST_PAGE_SIZE } from '../webex/wholesale';
import type { Customer, Subscriber } from '../webex/schemas';
import { compareCustomer, RememberedCustomer, RememberedSubscription, subscribersWorthListing } from './compare';
import type { Drift } from './drift';
import { executeRepair, plannedCalls } from './repair';
import { DriftEntry, ReconcileReport, Resolution, RunMode, summarize, UncheckedCustomer } from './report';

/** A run's own Webex client, its calls paced (see CallPacer) and counted; `signal` stops a call waiting for its turn. */
export interface PacedWebex {
  webex: WebexClient;
  callsMade(): number;
}

export interface ReconcilerDeps {
  store: Store;
  connect(signal?: AbortSignal): PacedWebex;
  provisioning: ProvisioningSettings;
  /** Non-final statuses older than this are stuck; a user has `consentWatchMs` to accept Webex's invitation. */
  stuckAfterMs: number;
  consentWatchMs: number;
  logger: Logger;
  now: () => number;
}

export interface RunOptions {
  trigger: ReconcileReport['trigger'];
  mode: RunMode;
  /** Stops the run at its next Webex call (the server is shutting down, the job's claim was lost). */
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface Progress {
  customersDone: number;
  customers: number;
  webexCalls: number;
}

/** Runs reconciliations; one object per way of calling Webex (the server's job, a CLI run). */
export interface Reconciler {
  run(options: RunOptions): Promise<ReconcileReport>;
}

export function createReconciler(deps: ReconcilerDeps): Reconciler {
  return { run: (options) => reconcile(deps, options) };
}

/**
 * Compares every account the connector remembers with Webex, one customer at a time: Webex's customers are listed
 * once (in pages of 100), then each remembered customer's subscribers in one listing, so the calls grow with the
 * customers, not the users. Each customer's memory is read right after Webex's answer, so an event finishing
 * meanwhile cannot make a user it just removed look missing; with `fix` the customer is repaired at once (each repair
 * journaled with Webex's tracking ID). A run that is not a dry run is kept in the store: the operator page and the
 * gauges show the newest.
 */
async function reconcile(deps: ReconcilerDeps, options: RunOptions): Promise<ReconcileReport> {
  const { store, now } = deps;
  const { webex, callsMade } = deps.connect(options.signal);
  const startedAt = now();
  const planned = await customersToCompare(store);
  const runId = options.mode === 'dry-run' ? undefined : await store.reconciliations.start({ trigger: options.trigger, mode: options.mode === 'fix' ? 'fix' : 'report' }, startedAt);
  const progress = (customersDone: number) => options.onProgress?.({ customersDone, customers: planned.length, webexCalls: callsMade() });
  progress(0);
  const customers = new Map((await webex.wholesale.listCustomers()).map((c) => [c.id, c]));
  const drift: DriftEntry[] = [];
  const unchecked: UncheckedCustomer[] = [];
  for (const [index, { customerId, accountIds }] of planned.entries()) {
    options.signal?.throwIfAborted();
    const customer = customers.get(customerId);
    const subscribers = await subscribersOf(webex, customerId, customer).catch((err: unknown) => {
      // Credentials that do not work fail every customer alike: the run stops instead of calling them all unchecked.
      if (options.signal?.aborted || err instanceof WebexCredentialsError) throw err;
      unchecked.push({ customerId, accountIds, problem: errorText(err) });
      return undefined;
    });
    if (subscribers) {
      const memory = await rememberedNow(store, customerId, accountIds);
      const found = compareCustomer(memory, { customer, subscribers }, { now: now(), stuckAfterMs: deps.stuckAfterMs, consentWatchMs: deps.consentWatchMs });
      for (const entry of found) drift.push({ ...withoutRemedy(entry), resolution: await resolve({ ...deps, webex }, entry, options.mode, runId) });
    }
    progress(index + 1);
  }
  const report: ReconcileReport = {
    trigger: options.trigger,
    mode: options.mode,
    startedAt,
    finishedAt: now(),
    accounts: planned.reduce((n, c) => n + c.accountIds.length, 0),
    customers: planned.length,
    webexCalls: callsMade(),
    drift,
    unchecked,
  };
  if (runId !== undefined) await store.reconciliations.finish(runId, { summary: summarize(report), report }, report.finishedAt);
  return report;
}

/** The Webex customers of the subscriptions the connector remembers, with those subscriptions (normally one each). */
async function customersToCompare(store: Store): Promise<Array<{ customerId: string; accountIds: string[] }>> {
  const byCustomer = new Map<string, string[]>();
  for (const account of await store.accounts.all()) {
    if (account.parentAccountId || !account.customerId) continue;
    byCustomer.set(account.customerId, [...(byCustomer.get(account.customerId) ?? []), account.accountId]);
  }
  return [...byCustomer].map(([customerId, accountIds]) => ({ customerId, accountIds }));
}

/** What the connector remembers of one customer's subscriptions now: accounts, users, add-ons, and events in flight. */
async function rememberedNow(store: Store, customerId: string, accountIds: string[]): Promise<RememberedCustomer> {
  const subscriptions: RememberedSubscription[] = [];
  for (const accountId of accountIds) {
    const account = await store.accounts.get(accountId);
    if (account?.customerId !== customerId) continue;
    subscriptions.push({ account, users: await store.accounts.users(accountId), addons: await store.accounts.addonsOf(accountId) });
  }
  const everyAccount = subscriptions.flatMap((s) => [s.account.accountId, ...s.addons.map((a) => a.accountId)]);
  return { customerId, subscriptions, eventsInFlight: await store.journal.inFlightFor(everyAccount) };
}

async function subscribersOf(webex: WebexClient, customerId: string, customer: Customer | undefined): Promise<Subscriber[]> {
  if (!subscribersWorthListing(customer)) return [];
  return webex.wholesale.listSubscribers({ customerId, max: LIST_PAGE_SIZE });
}

/** What this run does about one drift: repairs it (fix), says how (report, dry run), or leaves it. */
async function resolve(deps: ReconcilerDeps & { webex: WebexClient }, drift: Drift, mode: RunMode, runId: number | undefined): Promise<Resolution> {
  const { remedy } = drift;
  if (remedy.kind !== 'repair') return remedy.kind === 'operator' ? { kind: 'operator', reason: remedy.reason } : { kind: 'later', reason: remedy.reason };
  if (mode === 'report') return { kind: 'repairable', calls: plannedCalls(remedy.repair) };
  if (mode === 'dry-run') return { kind: 'would_repair', calls: plannedCalls(remedy.repair) };
  const done = await executeRepair({ webex: deps.webex, settings: deps.provisioning, accounts: deps.store.accounts, now: deps.now }, remedy.repair);
  await deps.store.reconciliations.addRepair({
    runId: runId!,
    at: deps.now(),
    accountId: drift.accountId,
    customerId: drift.customerId,
    email: drift.email,
    driftKind: drift.kind,
    action: done.action,
    outcome: done.outcome,
    trackingId: done.trackingId,
    detail: done.detail,
  });
  const fields = { accountId: drift.accountId, email: drift.email, drift: drift.kind, trackingId: done.trackingId, detail: done.detail };
  if (done.outcome === 'repaired') deps.logger.info(fields, `reconciliation repaired Webex: ${done.action}`);
  else deps.logger.warn(fields, `reconciliation could not repair Webex: ${done.action}`);
  return done.outcome === 'repaired'
    ? { kind: 'repaired', action: done.action, trackingId: done.trackingId, detail: done.detail }
    : { kind: 'repair_failed', action: done.action, trackingId: done.trackingId, detail: done.detail };
}

function withoutRemedy(drift: Drift): Omit<DriftEntry, 'resolution'> {
  const { remedy: _remedy, ...rest } = drift;
  return rest;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
