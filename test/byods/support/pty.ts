import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** Strips colour and cursor-movement sequences and carriage returns, leaving what a person reads. */
export function plainText(raw: string): string {
  return raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/**
 * Runs a command on a real pseudo-terminal, as a person would: util-linux `script` gives the child
 * a tty (so readline goes raw, echoes and turns Ctrl-C into a key), while we talk to it over pipes.
 */
export class PtySession {
  private readonly child: ChildProcessWithoutNullStreams;
  private raw = '';
  /** Where the next `expect` starts reading, so each one waits for new screen text. */
  private cursor = 0;
  readonly exited: Promise<number | null>;

  constructor(command: string, opts: { env: NodeJS.ProcessEnv; cwd: string }) {
    this.child = spawn('script', ['-qfec', command, '/dev/null'], { env: opts.env, cwd: opts.cwd, stdio: 'pipe' });
    this.child.stdout.on('data', (chunk: Buffer) => (this.raw += chunk.toString('utf8')));
    this.child.stderr.on('data', (chunk: Buffer) => (this.raw += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Everything shown so far. */
  get screen(): string {
    return plainText(this.raw);
  }

  /** Waits until `wanted` appears after the previous match; fails with the screen so far. */
  async expect(wanted: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.screen.slice(this.cursor);
      const index = typeof wanted === 'string' ? rest.indexOf(wanted) : rest.search(wanted);
      if (index >= 0) {
        const matched = typeof wanted === 'string' ? wanted : (rest.match(wanted)?.[0] ?? '');
        const seen = rest.slice(0, index + matched.length);
        this.cursor += index + matched.length;
        return seen;
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(wanted)}. Screen after the last match:\n${rest}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Types a line and presses Enter. */
  typeLine(text: string): void {
    this.child.stdin.write(`${text}\r`);
  }

  pressCtrlC(): void {
    this.child.stdin.write('\x03');
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
