import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSigningKey } from '../../sim/webex';
import { keySetFromFile, verifyDataSourceToken } from '../../src/byods/verify';
import { assertBuilt, cliEnv, runByods, tempDir, type CliRun } from './support/cli';
import { startByodsSim, type ByodsSim } from './support/sim';

/** `byods verify` as the compiled CLI, against the key set the simulator serves (or a saved one, offline). */

let sim: ByodsSim;
let dir: string;

beforeAll(() => assertBuilt());
beforeEach(async () => {
  sim = await startByodsSim();
  dir = tempDir();
});
afterEach(async () => {
  // One test closes the simulator itself, to go offline.
  await sim.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

function verify(args: string[], opts: { vars?: Record<string, string>; stdin?: string } = {}): Promise<CliRun> {
  return runByods(['verify', ...args], { env: cliEnv({ WEBEX_API_BASE_URL: sim.url, BYODS_JWKS_URL: sim.jwksUrl, ...opts.vars }), cwd: dir, stdin: opts.stdin });
}

const claimsOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/** The same signature over a payload changed after signing. */
function tampered(jws: string, change: Record<string, unknown>): string {
  const [header, , signature] = jws.split('.');
  return `${header}.${Buffer.from(JSON.stringify({ ...claimsOf(jws), ...change })).toString('base64url')}.${signature}`;
}

const expectedFor = ['--audience', 'CallAudio', '--subject', 'calls'];

describe('byods verify', () => {
  test('a data source by ID: its current token against its own audience and subject, claims printed, exit 0', async () => {
    const source = sim.byods.seed({ url: 'https://dap.example.com/v', audience: 'CallAudio', subject: 'calls' });
    const run = await verify([source.id], { vars: { WEBEX_TOKEN: sim.token } });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Token of data source ${source.id}:\\n`));
    expect(run.stdout).toMatch(/\n\s+aud:\s+CallAudio\n\s+sub:\s+calls\n\s+iss:\s+https:\/\/idbroker\.webex\.com\/idb\n\s+iat:\s+\d+ \(\S+\)\n\s+exp:\s+\d+ \(\S+\), 23h 59m\n/);
    expect(run.stdout).toMatch(/\n\s+com\.cisco\.datasource\.url:\s+https:\/\/dap\.example\.com\/v\n/);
    expect(run.stdout).toMatch(new RegExp(`\\n\\s+key:\\s+${sim.byods.signingKey.kid} \\(RS256\\)\\n`));
    expect(run.stdout).toMatch(new RegExp(`\\nVALID: signed by Webex's key set at ${sim.jwksUrl.replace(/[.]/g, '\\.')} \\(key ${sim.byods.signingKey.kid}\\), for audience "CallAudio" and subject "calls", valid until \\S+\\.\\n$`));
    expect(run.stdout).not.toContain(source.jwsToken);
    expect(run.stderr).toBe('');
  });

  test('a token given as an argument or on standard input, with the expected audience and subject; --json', async () => {
    const { jwsToken } = sim.byods.seed({ url: 'https://dap.example.com/a', audience: 'CallAudio', subject: 'calls' });
    expect((await verify([jwsToken, ...expectedFor])).status).toBe(0);

    const piped = await verify(['-', ...expectedFor, '--json'], { stdin: `${jwsToken}\n` });
    expect(piped.status).toBe(0);
    expect(JSON.parse(piped.stdout)).toMatchObject({
      valid: true,
      token: 'from standard input',
      expected: { audience: 'CallAudio', subject: 'calls' },
      header: { alg: 'RS256', kid: sim.byods.signingKey.kid },
      claims: { aud: 'CallAudio', sub: 'calls', iss: 'https://idbroker.webex.com/idb' },
    });
    // Verifying a given token needs no Webex credentials: only the key set is fetched.
    expect(sim.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /idb/oauth2/v2/keys/verificationjwk', 'GET /idb/oauth2/v2/keys/verificationjwk']);
  });

  test('refused, exit 1, each with its reason: tampered, expired, signed with a foreign key, for another audience or subject', async () => {
    const { jwsToken } = sim.byods.seed({ url: 'https://dap.example.com/r', audience: 'CallAudio', subject: 'calls' });
    const expired = sim.byods.seed({ url: 'https://dap.example.com/old', audience: 'CallAudio', subject: 'calls', tokenExpiresInMs: -5 * 60_000 });
    const sameKeyId = createSigningKey(sim.byods.signingKey.kid).sign(claimsOf(jwsToken));
    const otherKeyId = createSigningKey('attacker-key').sign(claimsOf(jwsToken));
    const cases: Array<[string, string[], RegExp]> = [
      ['tampered', [tampered(jwsToken, { aud: 'Elsewhere' }), '--audience', 'Elsewhere', '--subject', 'calls'], /^NOT VALID: the signature does not match the key of Webex's key set at \S+: the token was altered or forged\.$/m],
      ['expired', [expired.jwsToken, ...expectedFor], /^NOT VALID: it expired at \S+\.$/m],
      ['foreign key, same key ID', [sameKeyId, ...expectedFor], /^NOT VALID: the signature does not match the key of Webex's key set/m],
      ['foreign key, unknown key ID', [otherKeyId, ...expectedFor], /^NOT VALID: Webex's key set at \S+ has no key with the token's key ID "attacker-key": Webex did not sign it\.$/m],
      ['wrong audience', [jwsToken, '--audience', 'Other', '--subject', 'calls'], /^NOT VALID: its audience is "CallAudio", not "Other"\.$/m],
      ['wrong subject', [jwsToken, '--audience', 'CallAudio', '--subject', 'other'], /^NOT VALID: its subject is "calls", not "other"\.$/m],
      ['not a token', ['aaa.bbb.ccc', ...expectedFor], /^NOT VALID: it is not a well-formed signed token/m],
    ];
    for (const [name, args, verdict] of cases) {
      const run = await verify(args);
      expect({ name, status: run.status }).toEqual({ name, status: 1 });
      expect({ name, stdout: run.stdout }).toEqual({ name, stdout: expect.stringMatching(verdict) });
      expect(run.stdout).toContain('(claims not verified)');
    }
  });

  test('offline with --jwks FILE; a key set that cannot be had is exit 1, a bad file or missing expectations exit 2', async () => {
    const { jwsToken } = sim.byods.seed({ url: 'https://dap.example.com/o', audience: 'CallAudio', subject: 'calls' });
    const jwksFile = join(dir, 'webex-keys.json');
    writeFileSync(jwksFile, JSON.stringify(sim.byods.signingKey.jwks));
    const url = sim.jwksUrl;
    await sim.close();

    const offline = await verify([jwsToken, ...expectedFor, '--jwks', jwksFile], { vars: { BYODS_JWKS_URL: url } });
    expect(offline.status).toBe(0);
    expect(offline.stdout).toContain(`VALID: signed by the key set in ${jwksFile}`);

    const unreachable = await verify([jwsToken, ...expectedFor], { vars: { BYODS_JWKS_URL: url } });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toMatch(new RegExp(`^byods: Could not get Webex's key set at ${url.replace(/[.]/g, '\\.')} \\(.+\\); check the network, or verify offline with --jwks FILE\\.\\n$`));

    writeFileSync(jwksFile, '{"not": "a key set"}');
    const badFile = await verify([jwsToken, ...expectedFor, '--jwks', jwksFile]);
    expect(badFile.status).toBe(2);
    expect(badFile.stderr).toBe(`byods: ${jwksFile} is not a JSON Web Key Set (an object with a "keys" array).\n`);

    const noExpectation = await verify([jwsToken]);
    expect(noExpectation.status).toBe(2);
    expect(noExpectation.stderr).toMatch(/^byods: "node \S+main\.js verify" of a token needs --audience and --subject/);
    const emptyStdin = await verify(['-', ...expectedFor], { stdin: '' });
    expect(emptyStdin.status).toBe(2);
    expect(emptyStdin.stderr).toContain('byods: Standard input held no token.');
  });
});

describe('the verdict, by the clock it is given', () => {
  test('a token issued in the future, or issued more than 24 hours before, is refused', async () => {
    const key = sim.byods.signingKey;
    const keys = keySetFromFile(writeJwks(key.jwks));
    const now = new Date('2030-06-01T12:00:00Z');
    const at = (offsetSeconds: number) => Math.floor(now.getTime() / 1000) + offsetSeconds;
    const expected = { audience: 'A', subject: 'S' };
    const sign = (iat: number, exp: number) => key.sign({ aud: 'A', sub: 'S', iss: 'https://idbroker.webex.com/idb', iat, exp });

    expect(await verifyDataSourceToken(sign(at(-60), at(3600)), expected, keys, now)).toMatchObject({ valid: true });
    expect(await verifyDataSourceToken(sign(at(600), at(3600)), expected, keys, now)).toMatchObject({ valid: false, reason: 'its issue time (iat) is in the future' });
    expect(await verifyDataSourceToken(sign(at(-25 * 3600), at(3600)), expected, keys, now)).toMatchObject({
      valid: false,
      reason: 'it was issued more than 24 hours ago, longer than a data-source token lives',
    });
    expect(await verifyDataSourceToken(key.sign({ aud: 'A', sub: 'S', iat: at(-60) }), expected, keys, now)).toMatchObject({ valid: false, reason: 'its exp claim is missing' });
  });

  function writeJwks(jwks: unknown): string {
    const path = join(dir, 'keys.json');
    writeFileSync(path, JSON.stringify(jwks));
    return path;
  }
});
