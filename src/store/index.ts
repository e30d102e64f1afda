import type { Config } from '../config';
import type { Logger } from '../log';
import { PostgresStore } from './postgres';
import { SqliteStore } from './sqlite';
import type { Store } from './types';

/** DATABASE_URL selects the shared PostgreSQL store (several instances); without it, the embedded SQLite journal. */
export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>, deps: { logger: Logger; now: () => number }): Promise<Store> {
  if (!config.databaseUrl) return SqliteStore.inDataDir(config.dataDir);
  return PostgresStore.connect(config.databaseUrl, deps.now(), {
    onIdleError: (err) => deps.logger.warn({ err: err.message }, 'a pooled database connection failed; it will be replaced'),
  });
}
