import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store';
import { PostgresStore } from '../../src/store/postgres';
import { SqliteStore } from '../../src/store/sqlite';
import { validEnv } from '../support/env';
import { describeWithPostgres, freshSchema } from './testDatabase';

const deps = { logger: createLogger({ level: 'silent' }), now: Date.now };

describe('choosing the store from the configuration', () => {
  test('without DATABASE_URL the journal is the SQLite file in DATA_DIR', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'open-store-'));
    const store = await openStore(parseConfig({ ...validEnv(), DATA_DIR: dir }), deps);
    try {
      expect(store).toBeInstanceOf(SqliteStore);
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

  test('the claim lease is configurable and defaults to ten minutes', () => {
    expect(parseConfig(validEnv()).jobs.leaseMs).toBe(600_000);
    expect(parseConfig({ ...validEnv(), JOB_LEASE_MS: '2000' }).jobs.leaseMs).toBe(2000);
    expect(() => parseConfig({ ...validEnv(), JOB_LEASE_MS: '10' })).toThrow(/JOB_LEASE_MS/);
  });
});

describeWithPostgres('choosing the shared store', () => {
  test('with DATABASE_URL the journal is in PostgreSQL', async () => {
    const schema = await freshSchema();
    const store = await openStore(parseConfig({ ...validEnv(), DATABASE_URL: schema.url }), deps);
    try {
      expect(store).toBeInstanceOf(PostgresStore);
    } finally {
      await store.close();
      await schema.drop();
    }
  });
});
