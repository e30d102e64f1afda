import 'dotenv/config';
import { ConfigError, parseConfig } from './config';
import { startConnector } from './connector';
import pino from 'pino';
import { createLogger } from './log';

/** `npm start`: configuration from `.env` and the environment, then serve until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.sample for every setting.\n`);
      process.exit(1);
    }
    throw err;
  }
  // Lines are written asynchronously, so a slow disk or pipe never holds up a notification; flushed on the way out.
  const logger = createLogger({ level: config.logLevel, destination: pino.destination({ dest: 1, sync: false }) });
  const connector = await startConnector(config, { logger });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing work in flight');
    const exit = (code: number) => logger.flush(() => process.exit(code));
    connector.close(10_000).then(
      () => exit(0),
      (err) => {
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`The connector could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
