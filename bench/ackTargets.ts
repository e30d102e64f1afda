import { freshSchema } from './postgres';
import type { Program } from './serviceProcess';
import { Stack, startStack } from './stack';

/** Webex answers every call this late while notifications are acknowledged: the answer must not wait for it. */
export const WEBEX_LATENCY_MS = 300;

export type AckTargetName = 'bare route' | 'connector on SQLite' | 'connector on PostgreSQL';

/** One of the processes the acknowledgement benchmark measures, under the same load from the same generator. */
export interface AckTarget {
  name: AckTargetName;
  /** The bare route is the reference; the connector targets are measured against it. */
  isConnector: boolean;
  start(opts: { budgetMs: number; cpuProfileDir?: string }): Promise<Stack>;
}

/** The bare route, the connector on its default SQLite journal, and on PostgreSQL when a database is given. */
export function ackTargets(databaseUrl: string | undefined): AckTarget[] {
  const targets: AckTarget[] = [
    { name: 'bare route', isConnector: false, start: (opts) => launch('bare route', {}, opts) },
    { name: 'connector on SQLite', isConnector: true, start: (opts) => launch('connector', {}, opts) },
  ];
  if (databaseUrl) {
    targets.push({
      name: 'connector on PostgreSQL',
      isConnector: true,
      async start(opts) {
        const schema = await freshSchema(databaseUrl);
        try {
          const stack = await launch('connector', { DATABASE_URL: schema.url }, opts);
          return { ...stack, close: () => stack.close().finally(() => schema.drop()) };
        } catch (err) {
          await schema.drop();
          throw err;
        }
      },
    });
  }
  return targets;
}

/** Every target gets both simulators, so that its notification URLs and credentials are the connector's. */
function launch(program: Program, env: Record<string, string>, opts: { budgetMs: number; cpuProfileDir?: string }): Promise<Stack> {
  return startStack({ webex: { latencyMs: WEBEX_LATENCY_MS }, env: { ...env, SYNC_BUDGET_MS: String(opts.budgetMs) }, program, cpuProfileDir: opts.cpuProfileDir });
}
