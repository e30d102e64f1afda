import fs from 'node:fs';

/**
 * The journal holds customer names and e-mail addresses, so only the connector's own account may read it.
 * Modes are given when a folder or file is created (a umask can only take permissions away, never add them)
 * and set again afterwards, so the result is exact whatever the umask.
 */
const PRIVATE_FOLDER = 0o700;
const PRIVATE_FILE = 0o600;
const OTHERS = 0o077;

/**
 * Creates the folder (and any missing parents) 0700. An existing folder is left as the operator made it,
 * which may be on purpose (a shared volume); its mode is returned when others may look inside.
 */
export function ensurePrivateFolder(folder: string): { openToOthers?: number } {
  const created = fs.mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER });
  if (created !== undefined) {
    fs.chmodSync(folder, PRIVATE_FOLDER);
    return {};
  }
  const mode = fs.statSync(folder).mode & 0o777;
  return mode & OTHERS ? { openToOthers: mode } : {};
}

/** Creates the file 0600 when it is missing, and makes an existing one (a journal of an earlier release) 0600. */
export function ensurePrivateFile(file: string): void {
  const fd = fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_RDWR, PRIVATE_FILE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes the file 0600 if it exists (SQLite's side files come and go). */
export function restrictIfPresent(file: string): void {
  try {
    fs.chmodSync(file, PRIVATE_FILE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

export const octal = (mode: number): string => `0${mode.toString(8)}`;
