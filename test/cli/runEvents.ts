import { runEventsCli } from '../../src/events-cli/cli';
import { ADMIN_TOKEN } from '../admin/scenarios';
import { SECRETS } from '../support/env';

const STACK_TRACE = /\n\s+at /;

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the events CLI in this process, as `npm run events -- …` would; no output ever holds a stack trace or a secret. */
export async function events(args: string[], env: NodeJS.ProcessEnv, opts: { tty?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t), isTTY: opts.tty } };
  const status = await runEventsCli(args, env, io);
  for (const text of [stdout, stderr]) {
    expect(text).not.toMatch(STACK_TRACE);
    for (const secret of [...Object.values(SECRETS), ADMIN_TOKEN]) expect(text).not.toContain(secret);
  }
  return { status, stdout, stderr };
}
