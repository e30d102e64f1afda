import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** File system of the temporary folder, where the journal lives: it decides what an fsync costs. */
  journalFileSystem: string;
  /** What one fsync of a small write costs there, measured at the start of the run. */
  sync?: SyncLatency;
}

export interface SyncLatency {
  p50: number;
  p99: number;
  samples: number;
}

// statfs reports the file system as a magic number; these are the common Linux ones.
const FILE_SYSTEMS: Record<number, string> = {
  0xef53: 'ext4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs (memory: fsync costs nothing)',
  0x794c7630: 'overlayfs',
};

/** Read at run time, so the report always names the machine that produced it. */
export function describeMachine(): Machine {
  const cpus = os.cpus();
  let journalFileSystem = 'unknown';
  try {
    const type = fs.statfsSync(os.tmpdir()).type;
    journalFileSystem = FILE_SYSTEMS[type] ?? `type 0x${type.toString(16)}`;
  } catch {
    // statfs is missing on some platforms; the report then says "unknown".
  }
  return {
    cpu: cpus[0]?.model.trim() || 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    journalFileSystem,
  };
}

const SYNC_SAMPLES = 200;

/**
 * Times SYNC_SAMPLES fsyncs of a 4 KiB append in the temporary folder: a durable answer waits for one (the
 * connector's on SQLite, PostgreSQL's on its own disk), a bare route never does, so it bounds how close their
 * latencies can come.
 */
export async function measureSyncLatency(): Promise<SyncLatency> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'bench-sync-'));
  const handle = await fs.promises.open(path.join(dir, 'probe'), 'a');
  const page = Buffer.alloc(4096, 1);
  const took: number[] = [];
  try {
    for (let i = 0; i < SYNC_SAMPLES; i++) {
      await handle.write(page);
      const started = performance.now();
      await handle.sync();
      took.push(performance.now() - started);
    }
  } finally {
    await handle.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
  took.sort((a, b) => a - b);
  return { p50: took[Math.floor(SYNC_SAMPLES * 0.5)], p99: took[Math.floor(SYNC_SAMPLES * 0.99)], samples: SYNC_SAMPLES };
}
