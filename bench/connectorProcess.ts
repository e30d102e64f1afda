import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** The compiled connector, as `npm start` runs it (bench compiles to dist/bench, the connector to dist/src). */
const CONNECTOR_MAIN = path.resolve(__dirname, '..', 'src', 'main.js');

export interface ProcessUsage {
  rssBytes: number;
  /** CPU time used since the start, user and system. */
  cpuSeconds: number;
}

export interface ConnectorProcess {
  url: string;
  pid: number;
  /** From spawn to the first 200 of /health. */
  startToHealthyMs: number;
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
}

/**
 * Starts the real connector as its own process, with only the given environment. Its working
 * folder is the data folder, so no `.env` of the checkout is read; its log lines go to a file there.
 */
export async function spawnConnector(env: Record<string, string>, dataDir: string): Promise<ConnectorProcess> {
  const port = await freeLoopbackPort();
  const log = fs.openSync(path.join(dataDir, 'connector.log'), 'a');
  const started = performance.now();
  const child = spawn(process.execPath, [CONNECTOR_MAIN], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  await untilHealthy(url, exited, dataDir);
  const startToHealthyMs = performance.now() - started;
  return { url, pid: child.pid!, startToHealthyMs, usage: () => usageOf(child.pid!), stop: () => stop(child, exited) };
}

async function untilHealthy(url: string, exited: Promise<number | null>, dataDir: string): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`the connector exited with code ${exitCode}; see ${path.join(dataDir, 'connector.log')}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // Not listening yet.
    }
    await sleep(5);
  }
  throw new Error('the connector did not become healthy within 30 s');
}

/** The connector is told a port instead of choosing one, because its log (where it would say which) goes to a file. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory and CPU time as the operating system reports them (ps: KiB, and [dd-]hh:mm:ss or mm:ss.cc). */
function usageOf(pid: number): Promise<ProcessUsage> {
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

/** SIGTERM lets it finish work in flight (it allows itself 10 s); after 15 s it is killed. */
async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
