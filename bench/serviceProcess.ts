import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** The checkout: bench compiles to dist/bench, the connector to dist/src. */
const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/**
 * What answers `/subscription_receiver`: the compiled connector started with `node` (as the image does) or with
 * `npm start` (as an operator does), or the bare reference route of the acknowledgement benchmark.
 */
export type Program = 'connector' | 'npm start' | 'bare route';

export const COMMAND_LINE: Record<Program, string> = {
  connector: 'node dist/src/main.js',
  'npm start': 'npm start',
  'bare route': 'node dist/bench/bareRoute.js',
};

export interface ProcessUsage {
  rssBytes: number;
  /** CPU time used since the start, user and system. */
  cpuSeconds: number;
}

export interface ServiceProcess {
  url: string;
  pid: number;
  /** From spawn to the first 200 of /health. */
  startToHealthyMs: number;
  usage(): Promise<ProcessUsage>;
  /** SIGTERM, then waits for the exit (a CPU profile is written then). */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  program: Program;
  /** Runs node with --cpu-prof, writing the profile into this folder when the process exits. */
  cpuProfileDir?: string;
}

/**
 * Starts the program as its own process, with only the given environment. Its log lines go to a file in the
 * data folder, and no `.env` of the checkout is read (`npm start` runs in the checkout, so dotenv is pointed
 * at a file in the data folder that does not exist).
 */
export async function spawnService(env: Record<string, string>, dataDir: string, options: SpawnOptions): Promise<ServiceProcess> {
  const port = await freeLoopbackPort();
  const logFile = path.join(dataDir, `${options.program.replace(/ /g, '-')}.log`);
  const log = fs.openSync(logFile, 'a');
  const [command, args, cwd] = commandFor(options);
  const started = performance.now();
  // npm runs the connector under a shell: it gets a process group of its own, so that stopping reaches them all.
  const group = options.program === 'npm start';
  const child = spawn(command, args, {
    cwd,
    detached: group,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dataDir, ...env, PORT: String(port), DATA_DIR: dataDir, DOTENV_CONFIG_PATH: path.join(dataDir, '.env') },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await untilHealthy(url, exited, logFile);
  const startToHealthyMs = performance.now() - started;
  return { url, pid: child.pid!, startToHealthyMs, usage: () => usageOf(child.pid!), stop: () => stop(child, exited, group) };
}

function commandFor(options: SpawnOptions): [command: string, args: string[], cwd: string | undefined] {
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  switch (options.program) {
    case 'connector':
      return [process.execPath, [...profile, path.join(PACKAGE_ROOT, 'dist', 'src', 'main.js')], undefined];
    case 'bare route':
      return [process.execPath, [...profile, path.join(__dirname, 'bareRoute.js')], undefined];
    case 'npm start':
      return ['npm', ['start', '--silent'], PACKAGE_ROOT];
  }
}

async function untilHealthy(url: string, exited: Promise<number | null>, logFile: string): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the process exited with code ${exitCode}; see ${logFile}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(5);
  }
  throw new Error(`the process did not become healthy within 30 s; see ${logFile}`);
}

/** The process is told a port instead of choosing one, because its log (where it would say which) goes to a file. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resident memory and CPU time as the operating system reports them: from /proc on Linux (CPU time in clock
 * ticks, 10 ms), elsewhere from ps, whose CPU time has whole seconds only — too coarse for a run of a few seconds.
 */
async function usageOf(pid: number): Promise<ProcessUsage> {
  try {
    const [stat, status, ticks] = await Promise.all([fs.promises.readFile(`/proc/${pid}/stat`, 'utf8'), fs.promises.readFile(`/proc/${pid}/status`, 'utf8'), clockTicks()]);
    // Fields after the command name (which may hold spaces, inside parentheses): state, …, utime (12th), stime (13th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rssKiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    if (!Number.isFinite(rssKiB)) throw new Error(`no VmRSS for process ${pid}`);
    return { rssBytes: rssKiB * 1024, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticks };
  } catch {
    return usageFromPs(pid);
  }
}

let ticksPerSecond: Promise<number> | undefined;
/** USER_HZ, the unit of CPU times in /proc. */
function clockTicks(): Promise<number> {
  ticksPerSecond ??= new Promise((resolve, reject) => execFile('getconf', ['CLK_TCK'], (err, stdout) => (err ? reject(err) : resolve(Number(stdout.trim())))));
  return ticksPerSecond;
}

/** ps: RSS in KiB, CPU time as [dd-]hh:mm:ss. */
function usageFromPs(pid: number): Promise<ProcessUsage> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-o', 'rss=,time=', '-p', String(pid)], (err, stdout) => {
      if (err) return reject(err);
      const [rss = '', time = ''] = stdout.trim().split(/\s+/);
      resolve({ rssBytes: Number(rss) * 1024, cpuSeconds: clockSeconds(time) });
    });
  });
}

function clockSeconds(time: string): number {
  const [days, clock] = time.includes('-') ? time.split('-') : ['0', time];
  return (clock ?? '').split(':').reduce((total, part) => total * 60 + Number(part), 0) + Number(days) * 86_400;
}

/** SIGTERM lets it finish work in flight (the connector allows itself 10 s); after 15 s it is killed. */
async function stop(child: ChildProcess, exited: Promise<number | null>, group: boolean): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const target = group ? -child.pid! : child.pid!;
  process.kill(target, 'SIGTERM');
  const timer = setTimeout(() => isAlive(target) && process.kill(target, 'SIGKILL'), 15_000);
  await exited;
  // npm may exit before the connector it started has finished stopping.
  while (group && isAlive(target)) await sleep(20);
  clearTimeout(timer);
}

function isAlive(pidOrGroup: number): boolean {
  try {
    process.kill(pidOrGroup, 0);
    return true;
  } catch {
    return false;
  }
}
