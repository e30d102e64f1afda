#!/usr/bin/env node
import dotenv from 'dotenv';
import { runCli } from './cli';
import { commandAsTyped } from './commandName';

// .env fills in what the environment does not set; quiet, because stdout may carry --json.
dotenv.config({ quiet: true });

runCli(process.argv.slice(2), process.env, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  prog: commandAsTyped(process.env, process.argv[1], process.cwd()),
  exitNow: (status) => process.exit(status),
}).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    // A bug, not a Webex failure: still one line, no stack trace.
    process.stderr.write(`byods: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
