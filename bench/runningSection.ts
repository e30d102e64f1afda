import { PROFILE_FOLDER } from './ackLatency';
import { DATABASE_URL_VARIABLE, FULL, USAGE } from './options';

/** How to produce these figures again, and what each option changes. */
export function runningSection(): string {
  return [
    '## Running the benchmarks',
    '',
    '```',
    USAGE,
    '```',
    '',
    `- \`npm run bench\` is the reference run: ${fullSizes()}; then this file and its charts are rewritten. Run it on a quiet machine (the load average is printed at the top). Any option other than \`--out\` and \`--database-url\` makes a trial run, whose report goes to \`connector-bench/benchmarks.md\` in the temporary folder and leaves these figures alone.`,
    '- `npm run bench -- --quick` runs everything small and short, end to end in a few minutes.',
    `- PostgreSQL: give the database with \`--database-url=postgres://user@host:port/database\` or in \`${DATABASE_URL_VARIABLE}\` (better for a password: the report prints the URL without it either way). Each run creates a schema of its own there and drops it afterwards. For reference figures the server must make commits durable — \`fsync=on\` and \`synchronous_commit=on\`, PostgreSQL's defaults — as the report's header shows it did.`,
    `- The CPU profiles of the saturation runs are kept in \`${PROFILE_FOLDER}/\` of the temporary folder.`,
    '',
  ].join('\n');
}

/** The reference run's sizes, from the same constants the options start from. */
function fullSizes(): string {
  const { ack, backlog, startupRuns } = FULL;
  const list = (values: readonly number[]) => values.map((v) => `${v.toLocaleString('en')}/s`).join(', ');
  return [
    `acknowledgement runs of ${ack.seconds} s at ${list(ack.rates)} (evenly spaced and bursty) and ${ack.saturationSeconds} s closed-loop with ${ack.saturationConnections} connections, on every target, each after ${ack.warmupSeconds} s of warm-up`,
    `${ack.sweepSeconds} s runs at ${list(ack.sweepRates)} on each connector target and ${ack.defaultBudgetSeconds} s with the default budget`,
    `a backlog of ${backlog.orders.toLocaleString('en')} orders across ${backlog.companies} companies against ${backlog.ratePerSecond} Webex calls a second with \`JOB_CONCURRENCY=${backlog.concurrency}\``,
    `${startupRuns} starts each way`,
  ].join('; ');
}
