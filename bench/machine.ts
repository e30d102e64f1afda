import fs from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** File system of the temporary folder, where the journal lives: it decides what an fsync costs. */
  journalFileSystem: string;
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
