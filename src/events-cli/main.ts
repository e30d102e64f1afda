import 'dotenv/config';
import { runEventsCli } from './cli';

runEventsCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }).then((status) => {
  process.exitCode = status;
});
