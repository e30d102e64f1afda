import { withoutPassword } from './postgres';

/** A wrong option: the message says which and how to write it, and is all the user needs to see. */
export class UsageError extends Error {}

export const BENCHMARKS = ['startup', 'calls', 'ack', 'backlog'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

export interface AckOptions {
  /** Notifications a second, one run each. */
  rates: number[];
  seconds: number;
  /** Sent before each measured run and left out of the figures, so the JIT and the journal are warm. */
  warmupSeconds: number;
  /** Length of the extra run with the connector's default answer budget (0 skips it). */
  defaultBudgetSeconds: number;
  /** Shorter runs at rates in between, to find where acknowledgements stop keeping up. */
  sweepRates: number[];
  sweepSeconds: number;
  /** The closed-loop run that finds each target's throughput at saturation. */
  saturationSeconds: number;
  saturationConnections: number;
  /** PostgreSQL for the connector's PostgreSQL runs (each in a fresh schema); without it those runs are left out. */
  databaseUrl?: string;
}

export interface BacklogOptions {
  orders: number;
  companies: number;
  /** Webex calls a second the simulator admits before answering 429. */
  ratePerSecond: number;
  /** JOB_CONCURRENCY of the connector. */
  concurrency: number;
}

export interface BenchOptions {
  quick: boolean;
  only: ReadonlySet<BenchmarkName>;
  startupRuns: number;
  ack: AckOptions;
  backlog: BacklogOptions;
  /** Where the report goes; undefined means the default for the mode (see reportPath). */
  out?: string;
}

export const FULL = {
  startupRuns: 5,
  ack: { rates: [200, 1000], seconds: 30, warmupSeconds: 3, defaultBudgetSeconds: 10, sweepRates: [300, 400, 500, 700], sweepSeconds: 10, saturationSeconds: 10, saturationConnections: 50 },
  backlog: { orders: 10_000, companies: 500, ratePerSecond: 200, concurrency: 300 },
};

const QUICK = {
  startupRuns: 2,
  ack: { rates: [200, 1000], seconds: 5, warmupSeconds: 1, defaultBudgetSeconds: 3, sweepRates: [500], sweepSeconds: 3, saturationSeconds: 3, saturationConnections: 50 },
  backlog: { orders: 600, companies: 30, ratePerSecond: 100, concurrency: 80 },
};

/** Where the PostgreSQL runs connect when --database-url is not given. */
export const DATABASE_URL_VARIABLE = 'BENCH_DATABASE_URL';

export const USAGE = `npm run bench -- [--quick] [--only=${BENCHMARKS.join(',')}] [--out=FILE] [--database-url=postgres://…]
  [--startup-runs=N] [--ack-rates=200,1000] [--ack-seconds=S] [--ack-warmup-seconds=S] [--default-budget-seconds=S]
  [--ack-sweep-rates=300,400] [--ack-sweep-seconds=S] [--saturation-seconds=S] [--saturation-connections=N]
  [--backlog-orders=N] [--backlog-companies=N] [--backlog-rate=R] [--backlog-concurrency=N]`;

/**
 * `--name=value` flags; `--quick` picks small sizes that any flag can still override. The PostgreSQL URL may
 * come from the environment instead, so that its password stays out of the command line.
 */
export function parseOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): BenchOptions {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`Unknown argument "${arg}".\n${USAGE}`);
    flags.set(match[1], match[2] ?? 'true');
  }
  const quick = flags.get('quick') === 'true';
  const base = quick ? QUICK : FULL;
  const int = (name: string, fallback: number) => positiveInteger(flags, name, fallback);
  const options: BenchOptions = {
    quick,
    only: benchmarkSet(flags.get('only')),
    startupRuns: int('startup-runs', base.startupRuns),
    ack: {
      rates: integerList(flags, 'ack-rates', base.ack.rates),
      seconds: int('ack-seconds', base.ack.seconds),
      warmupSeconds: int('ack-warmup-seconds', base.ack.warmupSeconds),
      defaultBudgetSeconds: flags.has('default-budget-seconds') ? checkedInteger('default-budget-seconds', flags.get('default-budget-seconds')!, 0) : base.ack.defaultBudgetSeconds,
      sweepRates: flags.get('ack-sweep-rates') === '' ? [] : integerList(flags, 'ack-sweep-rates', base.ack.sweepRates),
      sweepSeconds: int('ack-sweep-seconds', base.ack.sweepSeconds),
      saturationSeconds: int('saturation-seconds', base.ack.saturationSeconds),
      saturationConnections: int('saturation-connections', base.ack.saturationConnections),
      databaseUrl: postgresUrl(flags.get('database-url') ?? env[DATABASE_URL_VARIABLE]),
    },
    backlog: {
      orders: int('backlog-orders', base.backlog.orders),
      companies: int('backlog-companies', base.backlog.companies),
      ratePerSecond: int('backlog-rate', base.backlog.ratePerSecond),
      concurrency: int('backlog-concurrency', base.backlog.concurrency),
    },
    out: flags.get('out'),
  };
  const known = new Set(['quick', 'only', 'out', 'database-url', 'startup-runs', 'ack-rates', 'ack-seconds', 'ack-warmup-seconds', 'default-budget-seconds', 'ack-sweep-rates', 'ack-sweep-seconds', 'saturation-seconds', 'saturation-connections', 'backlog-orders', 'backlog-companies', 'backlog-rate', 'backlog-concurrency']);
  const unknown = [...flags.keys()].filter((name) => !known.has(name));
  if (unknown.length) throw new UsageError(`Unknown option(s) ${unknown.map((n) => `--${n}`).join(', ')}.\n${USAGE}`);
  if (options.backlog.companies > options.backlog.orders) throw new UsageError('--backlog-companies cannot exceed --backlog-orders: each company needs a first order');
  return options;
}

/** The figures in docs/ are only replaced by a complete run at the issue's sizes; anything else is a trial. */
export function isReferenceRun(options: BenchOptions, argv: readonly string[]): boolean {
  return !options.quick && options.only.size === BENCHMARKS.length && argv.every((arg) => arg.startsWith('--out=') || arg.startsWith('--database-url='));
}

/** The command as the report prints it: a password in --database-url is replaced by `***`. */
export function displayCommand(argv: readonly string[]): string {
  const shown = argv.map((arg) => (arg.startsWith('--database-url=') ? `--database-url=${withoutPassword(arg.slice('--database-url='.length))}` : arg));
  return ['npm run bench', ...(shown.length ? ['--', ...shown] : [])].join(' ');
}

function postgresUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // Reported below, without echoing the value: it may hold a password.
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') throw new UsageError(`--database-url (or ${DATABASE_URL_VARIABLE}) expects a postgres:// or postgresql:// URL`);
  return value;
}

function benchmarkSet(value: string | undefined): ReadonlySet<BenchmarkName> {
  if (value === undefined) return new Set(BENCHMARKS);
  const names = value.split(',').map((n) => n.trim());
  const bad = names.filter((n) => !(BENCHMARKS as readonly string[]).includes(n));
  if (bad.length) throw new UsageError(`--only accepts ${BENCHMARKS.join(', ')}; got ${bad.join(', ')}`);
  return new Set(names as BenchmarkName[]);
}

function integerList(flags: Map<string, string>, name: string, fallback: number[]): number[] {
  const value = flags.get(name);
  return value === undefined ? fallback : value.split(',').map((part) => checkedInteger(name, part));
}

function positiveInteger(flags: Map<string, string>, name: string, fallback: number): number {
  const value = flags.get(name);
  return value === undefined ? fallback : checkedInteger(name, value);
}

function checkedInteger(name: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} expects whole numbers ≥ ${min}; got "${value}"`);
  return n;
}
