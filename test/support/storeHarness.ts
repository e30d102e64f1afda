import { describeOnEachStore, Storage, StoreKind } from '../store/storeKinds';
import { Harness, HarnessOptions, startHarness } from './harness';

/**
 * The whole connector (simulators included) once per database: on SQLite as the harness has it, and on a fresh
 * PostgreSQL schema (when TEST_DATABASE_URL is set). `h()` is the harness of the block being run.
 */
export function describeHarnessOnEachStore(name: string, options: HarnessOptions, body: (h: () => Harness, kind: StoreKind) => void): void {
  describeOnEachStore(name, (kind) => {
    let storage: Storage;
    let harness: Harness;
    beforeAll(async () => {
      storage = await kind.create();
      harness = await startHarness({ ...options, env: { ...options.env, ...(storage.settings.databaseUrl ? { DATABASE_URL: storage.settings.databaseUrl } : {}) } });
    });
    afterAll(async () => {
      await harness?.close();
      await storage?.destroy();
    });
    body(() => harness, kind);
  });
}
