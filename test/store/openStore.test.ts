import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../src/config';
import { openStore, sqliteFileIn } from '../../src/store';
import { validEnv } from '../support/env';
import { Client } from 'pg';
import { describeWithPostgres, freshSchema, TEST_DATABASE_URL } from './testDatabase';

describe('choosing the store from the configuration', () => {
  test('without DATABASE_URL the journal is the SQLite file in DATA_DIR', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'open-store-'));
    const store = await openStore(parseConfig({ ...validEnv(), DATA_DIR: dir }));
    try {
      expect(store.dialect).toBe('sqlite');
      expect(fs.existsSync(sqliteFileIn(dir))).toBe(true);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a DATABASE_URL that is not a PostgreSQL URL stops the start, without repeating the password', () => {
    const attempt = () => parseConfig({ ...validEnv(), DATABASE_URL: 'mysql://app:db-SECRET-pass@db.example/app' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(attempt).not.toThrow(/db-SECRET-pass/);
  });

  test('the claim lease is configurable and defaults to a minute (heartbeats keep long attempts)', () => {
    expect(parseConfig(validEnv()).jobs.leaseMs).toBe(60_000);
    expect(parseConfig({ ...validEnv(), JOB_LEASE_MS: '2000' }).jobs.leaseMs).toBe(2000);
    expect(() => parseConfig({ ...validEnv(), JOB_LEASE_MS: '10' })).toThrow(/JOB_LEASE_MS/);
  });

  test('an instance is named by its host and port unless INSTANCE_ID says otherwise', () => {
    expect(parseConfig({ ...validEnv(), PORT: '5002' }).instanceId).toBe(`${os.hostname()}:5002`);
    expect(parseConfig({ ...validEnv(), PORT: '0' }).instanceId).toBeUndefined();
    expect(parseConfig({ ...validEnv(), INSTANCE_ID: 'blue' }).instanceId).toBe('blue');
  });
});

describeWithPostgres('choosing the shared store', () => {
  test('with DATABASE_URL the journal is in PostgreSQL', async () => {
    const schema = await freshSchema();
    const store = await openStore(parseConfig({ ...validEnv(), DATABASE_URL: schema.url }));
    try {
      expect(store.dialect).toBe('postgres');
    } finally {
      await store.close();
      await schema.drop();
    }
  });
});

describeWithPostgres('opening the shared store beside other deployments', () => {
  test('schemas dropped elsewhere in the database while it opens do not stop it', async () => {
    // Another deployment (here: a loop) creates and drops schemas with tables in the same database meanwhile.
    const churn = new Client({ connectionString: TEST_DATABASE_URL });
    await churn.connect();
    let churning = true;
    const looping = (async () => {
      for (let i = 0; churning; i++) {
        const other = `churn_${process.pid}_${i}`;
        await churn.query(`CREATE SCHEMA ${other}; CREATE TABLE ${other}.t (id bigserial PRIMARY KEY, a text, b text, c text)`);
        await churn.query(`DROP SCHEMA ${other} CASCADE`);
      }
    })();
    try {
      for (let round = 0; round < 15; round++) {
        const schema = await freshSchema();
        try {
          const store = await openStore({ dataDir: os.tmpdir(), databaseUrl: schema.url });
          await store.close();
        } finally {
          await schema.drop();
        }
      }
    } finally {
      churning = false;
      await looping;
      await churn.end();
    }
  });
});
