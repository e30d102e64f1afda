import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/** What the report says about the PostgreSQL server: whether its commits reach the disk decides what they cost. */
export interface PostgresServer {
  /** The URL without its password. */
  where: string;
  version: string;
  fsync: string;
  synchronousCommit: string;
}

export interface BenchSchema {
  /** DATABASE_URL whose connections work in this schema only. */
  url: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'connector-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function describePostgres(url: string): Promise<PostgresServer> {
  return withClient(url, async (client) => {
    const show = async (setting: string) => String((await client.query<Record<string, unknown>>(`SHOW ${setting}`)).rows[0]?.[setting] ?? 'unknown');
    return { where: withoutPassword(url), version: await show('server_version'), fsync: await show('fsync'), synchronousCommit: await show('synchronous_commit') };
  });
}

/** Durable means a commit is on the disk before the connector answers, as on SQLite (docs/reliability.md). */
export const isDurable = (server: PostgresServer): boolean => server.fsync === 'on' && server.synchronousCommit !== 'off';

/** A new empty schema for one run, so that every run starts on an empty journal, as the SQLite runs do. */
export async function freshSchema(url: string): Promise<BenchSchema> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const scoped = new URL(url);
  const options = scoped.searchParams.get('options');
  scoped.searchParams.set('options', `${options ? `${options} ` : ''}-c search_path=${schema}`);
  return { url: scoped.href, drop: () => withClient(url, (client) => client.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined) };
}

/** For printing: the password of a URL replaced by `***`. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return '(not a URL)';
  }
}
