import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenFile } from '../../src/byods/tokenFile';
import type { StoredTokens } from '../../src/webex/tokenVault';
import { eventually } from '../support/harness';
import { tempDir } from './support/cli';

const tokens: StoredTokens = {
  accessToken: 'access-SECRET',
  accessExpiresAt: Date.parse('2030-01-15T00:00:00.000Z'),
  obtainedAt: Date.parse('2030-01-01T00:00:00.000Z'),
  refreshToken: 'refresh-SECRET',
  refreshExpiresAt: Date.parse('2030-04-01T00:00:00.000Z'),
  seed: 'sha256:abc',
};

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('saves owner-only, by a rename that leaves no temporary file, and loads back what it saved', async () => {
  const file = new TokenFile(join(dir, 'nested', 'byods_tokens.json'));
  expect(await file.load()).toBeUndefined();
  await file.save(tokens);
  await file.save({ ...tokens, refreshToken: 'refresh-NEWER' });
  expect(statSync(file.path).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
  expect(readdirSync(join(dir, 'nested'))).toEqual(['byods_tokens.json']);
  expect(JSON.parse(readFileSync(file.path, 'utf8'))).toMatchObject({ version: 1, accessExpiresAt: '2030-01-15T00:00:00.000Z', refreshToken: 'refresh-NEWER' });
  expect(await file.load()).toEqual({ ...tokens, refreshToken: 'refresh-NEWER' });
});

test('a file made readable by others is made owner-only again; one byods did not write is refused with what to do', async () => {
  const file = new TokenFile(join(dir, 'byods_tokens.json'));
  await file.save(tokens);
  chmodSync(file.path, 0o644);
  await file.load();
  expect(statSync(file.path).mode & 0o777).toBe(0o600);

  writeFileSync(file.path, '{"accessToken": 3}');
  await expect(file.load()).rejects.toThrow(`The token file ${file.path} is not one byods wrote; delete it and byods obtains new tokens.`);
});

test('exclusive holds a lock file: a second holder waits for the first, and a lock left by a dead process is taken over', async () => {
  const path = join(dir, 'byods_tokens.json');
  let attempts = 0;
  const retry = () => new Promise<void>((resolve) => setImmediate(() => (attempts++, resolve())));
  const [first, second] = [new TokenFile(path), new TokenFile(path, { sleep: retry })];
  let release!: () => void;
  const order: string[] = [];
  const holding = first.exclusive(async () => {
    order.push('first in');
    await new Promise<void>((resolve) => (release = resolve));
    order.push('first out');
  });
  await eventually(() => expect(order).toEqual(['first in']));
  const waiting = second.exclusive(async () => void order.push('second in'));
  await eventually(() => expect(attempts).toBeGreaterThan(3));
  expect(order).toEqual(['first in']);
  release();
  await Promise.all([holding, waiting]);
  expect(order).toEqual(['first in', 'first out', 'second in']);
  expect(existsSync(`${path}.lock`)).toBe(false);

  writeFileSync(`${path}.lock`, '');
  const longAgo = new Date(Date.now() - 10 * 60_000);
  utimesSync(`${path}.lock`, longAgo, longAgo);
  await expect(new TokenFile(path).exclusive(async () => 'ran')).resolves.toBe('ran');
});

test('a lock held for longer than the wait is reported with what to do', async () => {
  const path = join(dir, 'byods_tokens.json');
  writeFileSync(`${path}.lock`, '');
  const file = new TokenFile(path, { lockWaitMs: 0, sleep: async () => undefined });
  await expect(file.exclusive(async () => 'never')).rejects.toThrow(`Another byods has held ${path}.lock for over 0 s; if none is running, delete that file.`);
});
