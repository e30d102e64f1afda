#!/usr/bin/env node
/**
 * How long a command takes to print its first line: `node scripts/first-output.js 20 npm start`.
 * Spawns the command RUNS times from the current folder, times the first byte on stdout or stderr (npm's own
 * "> script" banner lines do not count), then stops its whole process group with SIGTERM. Prints the median,
 * the minimum and the maximum in milliseconds. The figures in docs/development.md come from it.
 */
const { spawn } = require('node:child_process');

const [runs, ...command] = process.argv.slice(2);
if (!Number(runs) || command.length === 0) {
  process.stderr.write('first-output: usage: node scripts/first-output.js RUNS COMMAND [ARG...]\n');
  process.exit(2);
}

function once() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timed = false;
    const onData = (chunk) => {
      if (timed) return;
      const lines = chunk.toString().split('\n').filter((line) => line.trim() && !line.startsWith('> '));
      if (lines.length === 0) return;
      timed = true;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // it had already finished
      }
      if (child.exitCode !== null) resolve({ ms, line: lines[0] });
      else child.on('exit', () => resolve({ ms, line: lines[0] }));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!timed) reject(new Error(`${command.join(' ')} exited (${code}) without printing anything`));
    });
  });
}

(async () => {
  const times = [];
  let first = '';
  for (let i = 0; i < Number(runs); i++) {
    const { ms, line } = await once();
    times.push(ms);
    first = line;
  }
  times.sort((a, b) => a - b);
  const ms = (t) => `${Math.round(t)} ms`;
  process.stdout.write(`${command.join(' ')}: median ${ms(times[Math.floor(times.length / 2)])}, min ${ms(times[0])}, max ${ms(times.at(-1))} (${runs} runs); first line: ${first.slice(0, 60)}\n`);
})().catch((err) => {
  process.stderr.write(`first-output: ${err.message}\n`);
  process.exitCode = 1;
});
