import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore, Store } from '../../src/store';
import { describeWithPostgres, freshSchema } from './testDatabase';

/** Empty storage of one kind; `open` gives a new handle on it, as a restarted (or another) instance would get. */
export interface Storage {
  open(): Promise<Store>;
  /** Where a connector configured on this storage keeps it. */
  settings: { dataDir: string; databaseUrl?: string };
  destroy(): Promise<void>;
}

export interface StoreKind {
  name: 'sqlite' | 'postgres';
  /** Several instances use it at once. */
  shared: boolean;
  create(): Promise<Storage>;
}

export const sqliteKind: StoreKind = {
  name: 'sqlite',
  shared: false,
  async create() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
    const settings = { dataDir };
    return { settings, open: () => openStore(settings), destroy: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
  },
};

export const postgresKind: StoreKind = {
  name: 'postgres',
  shared: true,
  async create() {
    const schema = await freshSchema();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-pg-'));
    const settings = { dataDir, databaseUrl: schema.url };
    return {
      settings,
      open: () => openStore(settings),
      destroy: async () => {
        await schema.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};

/** Runs the same tests on both databases (PostgreSQL when TEST_DATABASE_URL is set). */
export function describeOnEachStore(name: string, body: (kind: StoreKind) => void): void {
  describe(`${name} (SQLite)`, () => body(sqliteKind));
  describeWithPostgres(`${name} (PostgreSQL)`, () => body(postgresKind));
}

/** Storage and a store handle that every test of a block gets fresh, plus extra handles that are closed for it. */
export function freshStoreEachTest(kind: StoreKind): { store(): Store; storage(): Storage; anotherHandle(): Promise<Store>; reopen(): Promise<Store> } {
  let storage: Storage;
  let store: Store;
  const extra: Store[] = [];
  beforeEach(async () => {
    storage = await kind.create();
    store = await storage.open();
  });
  afterEach(async () => {
    await Promise.all([store, ...extra.splice(0)].map((s) => s.close()));
    await storage.destroy();
  });
  return {
    store: () => store,
    storage: () => storage,
    /** Another instance on a shared store; the same handle on SQLite, which one process owns. */
    async anotherHandle() {
      if (!kind.shared) return store;
      const handle = await storage.open();
      extra.push(handle);
      return handle;
    },
    async reopen() {
      await store.close();
      store = await storage.open();
      return store;
    },
  };
}
