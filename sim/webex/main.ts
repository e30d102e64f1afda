import { DEFAULT_SIM_TOKEN, startWebexSim } from './index';

/** Manual runs: `node dist/sim/webex/main.js [port]` (or PORT=…); prints the base URL to use. */
async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
  if (!Number.isInteger(port) || port < 0) throw new Error(`Invalid port: ${process.argv[2] ?? process.env.PORT}`);
  const sim = await startWebexSim({ port });
  process.stdout.write(`Webex simulator listening at ${sim.url} (bearer token: ${DEFAULT_SIM_TOKEN})\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
