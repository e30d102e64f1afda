import { Client } from 'pg';
import { PostgresStore } from '../../src/store/postgres';
import { describeWithPostgres, freshSchema, TestSchema } from './testDatabase';

/** What only the shared store has: its schema is set up by whichever instances start, in any number. */
describeWithPostgres('PostgresStore schema', () => {
  let schema: TestSchema;
  beforeEach(async () => {
    schema = await freshSchema();
  });
  afterEach(() => schema.drop());

  const appliedMigrations = async () => {
    const client = new Client({ connectionString: schema.url });
    await client.connect();
    try {
      return (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r: { version: number }) => r.version);
    } finally {
      await client.end();
    }
  };

  test('instances starting at the same moment set the schema up once and all work', async () => {
    const stores = await Promise.all(Array.from({ length: 5 }, () => PostgresStore.connect(schema.url, Date.now())));
    try {
      expect(await appliedMigrations()).toEqual([1]);
      await stores[0].recordNotification('t1', 'u', 0);
      expect((await stores[4].recordNotification('t1', 'u', 1)).created).toBe(false);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test('a later start finds the schema up to date and keeps the data', async () => {
    const first = await PostgresStore.connect(schema.url, Date.now());
    await first.recordNotification('t1', 'u', 0);
    await first.close();
    const second = await PostgresStore.connect(schema.url, Date.now());
    try {
      expect(await appliedMigrations()).toEqual([1]);
      expect((await second.get('t1'))?.token).toBe('t1');
    } finally {
      await second.close();
    }
  });

  test('a database that cannot be reached fails the start with a message that holds no password', async () => {
    const url = new URL(schema.url);
    url.password = 'pg-SECRET-pass';
    url.port = '1';
    await expect(PostgresStore.connect(url.href, Date.now())).rejects.toThrow(expect.objectContaining({ message: expect.not.stringContaining('pg-SECRET-pass') }));
  });
});
