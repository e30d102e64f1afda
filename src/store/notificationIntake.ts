import { Selectable, sql } from 'kysely';
import { Batches } from './batches';
import { EventJournal, newEventColumns, toEventRecord } from './eventJournal';
import { freshJobColumns, JobQueue, RESTARTED_JOB_COLUMNS } from './jobQueue';
import type { EventsTable } from './schema';
import type { Scope } from './scope';
import type { EventRecord, NewJob } from './types';

/** A notification as the journal takes it in. */
export interface NotificationEntry {
  token: string;
  eventUrl: string;
  /** The answer promised to a new record at once ('async': a later result), or null when it is not decided yet. */
  ack: EventRecord['ack'];
  /** Its timeline line: `first` for a new token, `repeat` for a token already known. */
  line: { kind: string; first: string; repeat: string };
  /** The job a new token queues (nothing is queued for a repeat). */
  job: NewJob;
}

export interface Accepted {
  record: EventRecord;
  /** The notification made the record (it was not a repeat). */
  created: boolean;
}

export interface Arrival {
  entry: NotificationEntry;
  now: number;
}

/** Notifications waiting to be written together; a token appears once in a batch. */
export const intakeBatches = (write: (arrivals: Arrival[]) => Promise<Accepted[]>) => new Batches<Arrival, Accepted>(write, (arrival) => arrival.entry.token);

/**
 * Takes notifications in, each as one atomic change: its record (or the count of a repeat), its timeline line
 * and, for a new token, the job that works it. This runs once per notification AppDirect sends, so it is the
 * acknowledgement's cost, and outside a transaction the notifications that arrive while others are being
 * written share the next write (`batches`, built by the store):
 * - on SQLite, three statements for the whole batch, inside one unit of the group commit;
 * - on PostgreSQL, one statement (a data-modifying WITH) that commits by itself: one round trip, one commit and
 *   one WAL flush for the batch, the group commit PostgreSQL cannot do across its connections.
 */
export class NotificationIntake {
  constructor(
    private readonly scope: Scope,
    private readonly batches?: Batches<Arrival, Accepted>,
  ) {}

  accept(entry: NotificationEntry, now: number): Promise<Accepted> {
    const arrival = { entry, now };
    return this.batches ? this.batches.submit(arrival) : writeArrivals(this.scope, [arrival]).then(([accepted]) => accepted);
  }
}

/** Notifications of distinct tokens, written in `scope`; the answers in their order. */
export function writeArrivals(scope: Scope, arrivals: Arrival[]): Promise<Accepted[]> {
  return scope.dialect === 'postgres' ? inOneStatement(scope, arrivals) : inThreeStatements(scope, arrivals);
}

async function inThreeStatements(scope: Scope, arrivals: Arrival[]): Promise<Accepted[]> {
  const journal = new EventJournal(scope);
  const recorded = await journal.recordAll(arrivals.map(({ entry, now }) => ({ token: entry.token, eventUrl: entry.eventUrl, now, ack: entry.ack })));
  await journal.addTimelines(arrivals.map(({ entry, now }, i) => ({ token: entry.token, at: now, kind: entry.line.kind, detail: recorded[i].created ? entry.line.first : entry.line.repeat })));
  const fresh = arrivals.filter((_, i) => recorded[i].created);
  // Jobs of one batch share its clock reading: they are queued at the same commit.
  if (fresh.length) await new JobQueue(scope).enqueueAll(fresh.map(({ entry }) => entry.job), fresh[0].now);
  return recorded;
}

/**
 * The three statements as one. Each part reads the event rows the upsert returned, so a line and a job follow
 * from whether that notification created its record. The rows travel as JSON typed by the tables' own row
 * types, and the column lists come from the functions that write these rows in the statements above.
 */
async function inOneStatement(scope: Scope, arrivals: Arrival[]): Promise<Accepted[]> {
  const events = arrivals.map(({ entry, now }) => newEventColumns(entry.token, entry.eventUrl, now, entry.ack));
  const lines = arrivals.map(({ entry, now }) => ({ token: entry.token, at: now, kind: entry.line.kind, first_line: entry.line.first, repeat_line: entry.line.repeat }));
  const jobs = arrivals.map(({ entry, now }) => ({ token: entry.token, job: { id: entry.job.id, ...freshJobColumns(entry.job, now) } }));
  const eventColumns = Object.keys(events[0]);
  const jobColumns = Object.keys(jobs[0].job);
  const refs = (columns: string[], table?: string) => sql.join(columns.map((column) => sql.ref(table ? `${table}.${column}` : column)));
  const restart = RESTARTED_JOB_COLUMNS.map((column) => sql`${sql.ref(column)} = ${sql.ref(`excluded.${column}`)}`);
  const { rows } = await sql<Selectable<EventsTable> & { queued: number }>`
    WITH event AS (
      INSERT INTO events (${refs(eventColumns)})
      SELECT ${refs(eventColumns)} FROM json_populate_recordset(NULL::events, ${JSON.stringify(events)}::json)
      ON CONFLICT (token) DO UPDATE SET notifications = events.notifications + 1, updated_at = excluded.updated_at
      RETURNING *
    ), line AS (
      INSERT INTO timeline (token, at, kind, detail)
      SELECT given.token, given.at, given.kind, CASE WHEN event.notifications = 1 THEN given.first_line ELSE given.repeat_line END
      FROM json_to_recordset(${JSON.stringify(lines)}::json) AS given(token text, at bigint, kind text, first_line text, repeat_line text)
      JOIN event USING (token)
    ), job AS (
      INSERT INTO jobs (${refs(jobColumns)})
      SELECT ${refs(jobColumns, 'fresh')}
      FROM json_to_recordset(${JSON.stringify(jobs)}::json) AS given(token text, job json)
      JOIN event USING (token)
      CROSS JOIN LATERAL json_populate_record(NULL::jobs, given.job) AS fresh
      WHERE event.notifications = 1
      ON CONFLICT (id) DO UPDATE SET ${sql.join(restart)} WHERE jobs.state <> 'queued'
      RETURNING jobs.id
    )
    SELECT event.*, (SELECT count(*) FROM job) AS queued FROM event`.execute(scope.db);
  if (rows.some((row) => Number(row.queued) > 0)) scope.afterCommit(() => scope.signals.workQueued());
  const byToken = new Map(rows.map((row) => [row.token, row]));
  return arrivals.map(({ entry }) => {
    const row = byToken.get(entry.token)!;
    return { record: toEventRecord(row), created: row.notifications === 1 };
  });
}
