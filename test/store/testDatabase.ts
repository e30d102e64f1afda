import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { describeWhen, requirement } from '../support/requirements';

/** The PostgreSQL database of the shared-store tests; `.ci/run` starts one and sets it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

const POSTGRES = requirement(Boolean(TEST_DATABASE_URL), 'TEST_DATABASE_URL is not set (a PostgreSQL database the tests may create schemas in)');

/** `describe` when TEST_DATABASE_URL is set; otherwise skipped, with the reason listed at the end of the run. */
export function describeWithPostgres(name: string, body: () => void): void {
  describeWhen(POSTGRES, name, body);
}

export interface TestSchema {
  /** DATABASE_URL whose connections work in this schema only. */
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A new empty schema, so that tests running in parallel (and their connector processes) each see their
 * own tables in the one test database, the way separate deployments would.
 */
export async function freshSchema(): Promise<TestSchema> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await withAdmin((client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.href,
    drop: () => withAdmin((client) => client.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined),
  };
}
