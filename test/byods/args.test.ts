import { parseInvocation, UsageError } from '../../src/byods/args';

const parse = (...argv: string[]) => parseInvocation(argv, '/srv/byods');

test('no command means the interactive menu; global options apply to it', () => {
  expect(parse('--save-list', '--records-dir', '/srv/records')).toEqual({
    kind: 'interactive',
    global: { json: false, saveList: true, recordsDir: '/srv/records', tokenConfig: undefined },
  });
});

test('register takes defaults later but needs a valid URL now', () => {
  expect(parse('register', '--url', 'https://d.example.com', '--token-lifetime', '60', '--json')).toMatchObject({
    kind: 'register',
    global: { json: true, recordsDir: '/srv/byods' },
    flags: { url: 'https://d.example.com', tokenLifetimeMinutes: 60, audience: undefined },
  });
});

test('update status rules', () => {
  expect(parse('update', 'id1', '--status', 'disabled', '--error-message', ' Down ')).toMatchObject({ status: 'disabled', errorMessage: 'Down' });
  expect(parse('update', 'id1', '--status', 'active')).toMatchObject({ status: 'active' });
  expect(() => parse('update', 'id1', '--error-message', 'x')).toThrow('--error-message goes with --status disabled');
  expect(() => parse('update')).toThrow('exactly one data source ID');
});

test('extend: IDs or --all, with the window only for --all and a 1440-minute default lifetime', () => {
  expect(parse('extend', 'a', 'b')).toMatchObject({ kind: 'extend', ids: ['a', 'b'], tokenLifetimeMinutes: 1440 });
  expect(parse('extend', '--all', '--expiring-within', '120', '--token-lifetime', '600')).toMatchObject({ ids: 'all', expiringWithinMinutes: 120, tokenLifetimeMinutes: 600 });
  expect(() => parse('extend', 'a', '--expiring-within', '5')).toThrow('--expiring-within goes with --all');
  expect(() => parse('extend', '--all', '--expiring-within', '0')).toThrow(UsageError);
});

test('help, per command too', () => {
  expect(parse('--help')).toMatchObject({ kind: 'help', text: expect.stringContaining('Usage:') });
  expect(parse('update', '--help')).toMatchObject({ kind: 'help', text: expect.stringContaining('Usage: byods update <id>') });
  expect(parse('help', 'extend')).toMatchObject({ kind: 'help', text: expect.stringContaining('byods extend --all') });
});

test('unknown options and stray arguments are usage errors', () => {
  expect(() => parse('list', '--bogus')).toThrow(UsageError);
  expect(() => parse('list', 'extra')).toThrow('takes no arguments');
  expect(() => parse('--json')).toThrow('--json does not apply to the interactive menu');
});

test('verify: a data source ID, a token, or - for standard input; a token needs the expected audience and subject', () => {
  expect(parse('verify', '0f6d6f3e-1111-2222-3333-444455556666')).toMatchObject({ kind: 'verify', token: { from: 'data source', id: '0f6d6f3e-1111-2222-3333-444455556666' } });
  expect(parse('verify', 'aGVh.cGF5.c2ln', '--audience', 'A', '--subject', 'S', '--jwks', 'keys.json')).toMatchObject({
    token: { from: 'argument', jws: 'aGVh.cGF5.c2ln', audience: 'A', subject: 'S' },
    jwksFile: 'keys.json',
  });
  expect(parse('verify', '-', '--audience', 'A', '--subject', 'S')).toMatchObject({ token: { from: 'stdin', audience: 'A', subject: 'S' } });
  expect(() => parse('verify', 'aGVh.cGF5.c2ln')).toThrow('"byods verify" of a token needs --audience and --subject');
  expect(() => parse('verify', 'some-id', '--audience', 'A')).toThrow('a data source ID brings its own');
  expect(() => parse('verify')).toThrow('takes one data source ID, or one token');
});

test('delete takes one ID and --yes; messages name byods as it was typed', () => {
  expect(parse('delete', 'id1', '--yes')).toEqual({ kind: 'delete', global: expect.any(Object), id: 'id1', yes: true });
  expect(parse('delete', 'id1')).toMatchObject({ yes: false });
  expect(() => parseInvocation(['delete'], '/srv', 'npm run byods --')).toThrow('"npm run byods -- delete" needs exactly one data source ID.');
});
