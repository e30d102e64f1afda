import type { Selectable } from 'kysely';
import type { AppDirectResult } from '../appdirect/results';
import type { EventsTable } from './schema';
import type { Scope } from './scope';
import type { EventFacts, EventRecord, Outcome, TimelineEntry } from './types';

type EventRow = Selectable<EventsTable>;

/**
 * The journal of AppDirect notifications: each event token's record (the fetched event, how AppDirect is
 * being answered, the result and its delivery) and its timeline. What to do with them is decided elsewhere.
 */
export class EventJournal {
  constructor(private readonly scope: Scope) {}

  /**
   * Records a notification; a repeat of a known token is counted on the existing record. `ack` promises a new
   * record's answer at once (an asynchronous result, when the caller will not wait for one).
   */
  async record(token: string, eventUrl: string, now: number, ack: EventRecord['ack'] = null): Promise<{ record: EventRecord; created: boolean }> {
    const [recorded] = await this.recordAll([{ token, eventUrl, now, ack }]);
    return recorded;
  }

  /** `record` for notifications of distinct tokens, in one statement; the answers in their order. */
  async recordAll(notices: Array<{ token: string; eventUrl: string; now: number; ack: EventRecord['ack'] }>): Promise<Array<{ record: EventRecord; created: boolean }>> {
    const rows = await this.scope.db
      .insertInto('events')
      .values(notices.map((notice) => newEventColumns(notice.token, notice.eventUrl, notice.now, notice.ack)))
      .onConflict((oc) => oc.column('token').doUpdateSet((eb) => ({ notifications: eb('events.notifications', '+', 1), updated_at: eb.ref('excluded.updated_at') })))
      .returningAll()
      .execute();
    const byToken = new Map(rows.map((row) => [row.token, row]));
    return notices.map(({ token }) => {
      const row = byToken.get(token)!;
      // Only a fresh insert leaves the counter at one: every repeat adds to it.
      return { record: toEventRecord(row), created: row.notifications === 1 };
    });
  }

  async get(token: string): Promise<EventRecord | undefined> {
    const row = await this.scope.db.selectFrom('events').selectAll().where('token', '=', token).executeTakeFirst();
    return row ? toEventRecord(row) : undefined;
  }

  async saveEvent(token: string, facts: EventFacts, now: number): Promise<void> {
    await this.scope.db
      .updateTable('events')
      .set({ event_json: JSON.stringify(facts.event), type: facts.type, flag: facts.flag ?? null, account_id: facts.accountId ?? null, updated_at: now })
      .where('token', '=', token)
      .execute();
  }

  /**
   * Stores the result, once. Returns how AppDirect was promised it ('async': it must now be POSTed), or
   * undefined when the event already had one. The answer is read from the row this statement changed, so a
   * waiting notification that gives up at the same moment either sees the result or is seen here.
   */
  async complete(token: string, result: AppDirectResult, now: number): Promise<{ ack: EventRecord['ack'] } | undefined> {
    const row = await this.scope.db
      .updateTable('events')
      .set((eb) => ({
        result_json: JSON.stringify(result),
        finished_at: now,
        updated_at: now,
        delivery: eb.case().when('ack', '=', 'async').then('pending' as const).else(eb.ref('delivery')).end(),
      }))
      .where('token', '=', token)
      .where('result_json', 'is', null)
      .returning('ack')
      .executeTakeFirst();
    if (!row) return undefined;
    this.scope.afterCommit(() => this.scope.signals.outcomeRecorded(token));
    return { ack: row.ack };
  }

  /** A waiting HTTP request claims the right to answer with the result; false if it was promised for later. */
  async ackSync(token: string, now: number): Promise<boolean> {
    const result = await this.scope.db
      .updateTable('events')
      .set({ ack: 'sync', updated_at: now })
      .where('token', '=', token)
      .where((eb) => eb.or([eb('ack', 'is', null), eb('ack', '=', 'sync')]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * A waiting HTTP request gives up: the result will be POSTed later. A result that is already there is
   * answered in the response instead. Returns the record after the change.
   */
  async ackAsync(token: string, now: number): Promise<EventRecord | undefined> {
    await this.scope.db
      .updateTable('events')
      .set((eb) => ({ ack: eb.case().when('result_json', 'is', null).then('async' as const).else('sync' as const).end(), updated_at: now }))
      .where('token', '=', token)
      .where('ack', 'is', null)
      .execute();
    return this.get(token);
  }

  async markDelivered(token: string, now: number): Promise<void> {
    await this.scope.db.updateTable('events').set({ delivery: 'delivered', delivery_error: null, updated_at: now }).where('token', '=', token).execute();
  }

  async markDeliveryRejected(token: string, reason: string, now: number): Promise<void> {
    await this.scope.db.updateTable('events').set({ delivery: 'rejected', delivery_error: reason, updated_at: now }).where('token', '=', token).execute();
  }

  /**
   * Notifications whose HTTP request ended without an answer (the process died while it waited) are
   * promised an asynchronous result. Returns those that already have one (token and arrival): it is due for delivery.
   */
  async adoptUnanswered(receivedBefore: number, now: number): Promise<Array<{ token: string; receivedAt: number }>> {
    const rows = await this.scope.db
      .updateTable('events')
      .set((eb) => ({ ack: 'async', delivery: eb.case().when('result_json', 'is not', null).then('pending' as const).else(eb.ref('delivery')).end(), updated_at: now }))
      .where('ack', 'is', null)
      .where('received_at', '<', receivedBefore)
      .returning(['token', 'result_json', 'received_at'])
      .execute();
    return rows.filter((row) => row.result_json !== null).map((row) => ({ token: row.token, receivedAt: Number(row.received_at) }));
  }

  /**
   * An operator's retry: a finished event loses its result and will get a new one, POSTed to AppDirect.
   * False when the event has no result yet or its result is still being delivered.
   */
  async reopen(token: string, now: number): Promise<boolean> {
    const result = await this.scope.db
      .updateTable('events')
      .set({ ack: 'async', result_json: null, delivery: 'none', delivery_error: null, finished_at: null, retried_at: now, updated_at: now })
      .where('token', '=', token)
      .where('result_json', 'is not', null)
      .where('delivery', '!=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async addTimeline(token: string, kind: string, detail: string, now: number): Promise<void> {
    await this.addTimelines([{ token, at: now, kind, detail }]);
  }

  async addTimelines(lines: Array<TimelineEntry & { token: string }>): Promise<void> {
    if (lines.length) await this.scope.db.insertInto('timeline').values(lines).execute();
  }

  async timeline(token: string): Promise<TimelineEntry[]> {
    const rows = await this.scope.db.selectFrom('timeline').select(['at', 'kind', 'detail']).where('token', '=', token).orderBy('id').execute();
    return rows.map((row) => ({ at: Number(row.at), kind: row.kind, detail: row.detail }));
  }

  /**
   * Waits until the event has a result or `budgetMs` has passed (or `signal` aborts), whichever comes first.
   * A result recorded in this process is heard at once; one recorded by another instance is found by polling.
   */
  awaitOutcome(token: string, budgetMs: number, signal?: AbortSignal): Promise<Outcome> {
    return this.awaitOutcomeVia((t) => this.get(t), token, budgetMs, signal);
  }

  /** `awaitOutcome`, reading the record through `read` (the store's way of reading outside a transaction). */
  async awaitOutcomeVia(read: (token: string) => Promise<EventRecord | undefined>, token: string, budgetMs: number, signal?: AbortSignal): Promise<Outcome> {
    const deadline = Date.now() + budgetMs;
    let news = false;
    let wake = () => {
      news = true;
    };
    const stopListening = this.scope.signals.onOutcome(token, () => wake());
    const onAbort = () => wake();
    signal?.addEventListener('abort', onAbort);
    try {
      for (;;) {
        news = false;
        const record = await read(token);
        if (!record) throw new Error(`the journal has no event ${token}`);
        if (record.result) return { settled: true, record: { ...record, result: record.result } };
        const remaining = deadline - Date.now();
        if (remaining <= 0 || signal?.aborted) return { settled: false, record };
        if (news) continue; // the result arrived while the record was being read
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(remaining, this.scope.outcomePollMs));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      stopListening();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * The account's events of a type that arrived before `than` (the token breaks a tie) and have no result yet: work
   * that may race with it for the same thing.
   */
  async unfinishedBefore(accountId: string, type: string, than: { receivedAt: number; token: string }): Promise<EventRecord[]> {
    const rows = await this.scope.db
      .selectFrom('events')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('type', '=', type)
      .where('result_json', 'is', null)
      .where((eb) => eb.or([eb('received_at', '<', than.receivedAt), eb.and([eb('received_at', '=', than.receivedAt), eb('token', '<', than.token)])]))
      .orderBy('received_at')
      .execute();
    return rows.map(toEventRecord);
  }

  /** Whether an event of any of these accounts is still being worked on (it has no result yet). */
  async inFlightFor(accountIds: string[]): Promise<boolean> {
    if (!accountIds.length) return false;
    const row = await this.scope.db.selectFrom('events').select('token').where('account_id', 'in', accountIds).where('result_json', 'is', null).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async recent(limit: number): Promise<EventRecord[]> {
    const rows = await this.scope.db.selectFrom('events').selectAll().orderBy('received_at', 'desc').limit(limit).execute();
    return rows.map(toEventRecord);
  }
}

/** A notification's record as its first notification writes it. */
export function newEventColumns(token: string, eventUrl: string, now: number, ack: EventRecord['ack']) {
  return { token, event_url: eventUrl, ack, delivery: 'none' as const, received_at: now, updated_at: now, notifications: 1 };
}

export function toEventRecord(row: EventRow): EventRecord {
  return {
    token: row.token,
    eventUrl: row.event_url,
    type: row.type ?? undefined,
    flag: row.flag ?? undefined,
    accountId: row.account_id ?? undefined,
    event: row.event_json ? (JSON.parse(row.event_json) as unknown) : undefined,
    ack: row.ack,
    result: row.result_json ? (JSON.parse(row.result_json) as AppDirectResult) : undefined,
    delivery: row.delivery,
    deliveryError: row.delivery_error ?? undefined,
    receivedAt: Number(row.received_at),
    retriedAt: row.retried_at === null ? undefined : Number(row.retried_at),
    finishedAt: row.finished_at === null ? undefined : Number(row.finished_at),
    updatedAt: Number(row.updated_at),
    notifications: row.notifications,
  };
}
