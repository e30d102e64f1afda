#!/usr/bin/env node
/**
 * Runs before `npm start`, `npm run demo`, `npm run events` and `npm run byods` (their `pre` scripts), which
 * run the compiled code in dist/ without compiling. When a source changed since the last build it compiles
 * first, so an edit is never silently ignored; otherwise it only compares file times (a few milliseconds).
 * Plain JavaScript: it must run before anything is compiled.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['src', 'sim', 'demo', 'bench'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.tools.json'];
const BUILD_INFO = path.join(root, 'dist', '.tools.tsbuildinfo');
// Written here after a build: tsc leaves its build info alone when a touched file's content did not change.
const STAMP = path.join(root, 'dist', '.sources-checked');

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** The newest modification time of the .ts files under dir (0 when there is no such folder). */
function newestIn(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0; // an image or package without that folder
  }
  let newest = 0;
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestIn(file));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, mtimeMs(file));
  }
  return newest;
}

function newestSource() {
  return Math.max(...CONFIG_FILES.map((file) => mtimeMs(path.join(root, file))), ...SOURCE_DIRS.map((dir) => newestIn(path.join(root, dir))));
}

function main() {
  const builtAt = Math.max(mtimeMs(BUILD_INFO), mtimeMs(STAMP));
  if (builtAt > 0 && newestSource() <= builtAt) return 0;
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    process.stderr.write('The compiled code in dist/ is missing or older than the sources, and TypeScript is not installed: run npm ci.\n');
    return builtAt > 0 ? 0 : 1;
  }
  process.stderr.write(builtAt > 0 ? 'Sources changed since the last build: compiling (npm run build)...\n' : 'No build yet: compiling (npm run build)...\n');
  const build = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.tools.json')], { stdio: 'inherit' });
  if (build.status !== 0) {
    process.stderr.write('The build failed (see above); fix it, or run the previous build with node dist/...\n');
    return 1;
  }
  fs.writeFileSync(STAMP, '');
  return 0;
}

process.exitCode = main();
