import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The compiled CLI: process-level tests run what users run (`npm test` builds first). */
export const BYODS_BIN = resolve(__dirname, '../../../dist/src/byods/main.js');

export function assertBuilt(): void {
  if (!existsSync(BYODS_BIN)) throw new Error(`${BYODS_BIN} is missing: run "npm run build" (or npx tsc -p tsconfig.json) first`);
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Only what byods needs: a developer's own WEBEX_TOKEN must not leak into a test. */
export function cliEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...vars };
}

/**
 * Asynchronous on purpose: the simulator answering the child runs in this very process.
 * `script` is what node runs (default the compiled CLI; a symlink to it stands for an installed `byods`);
 * `stdin` is piped in when given.
 */
export function runByods(args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string; script?: string; stdin?: string }): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [opts.script ?? BYODS_BIN, ...args], { env: opts.env, cwd: opts.cwd, stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'byods-test-'));
}

export interface SavedRecord {
  name: string;
  mode: number;
  content: Record<string, unknown>;
  text: string;
}

/** The JSON records in `dir`, with their permission bits. */
export function recordsIn(dir: string): SavedRecord[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const text = readFileSync(path, 'utf8');
      return { name, mode: statSync(path).mode & 0o777, content: JSON.parse(text) as Record<string, unknown>, text };
    });
}
