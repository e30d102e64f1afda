import { parseArgs } from 'node:util';
import { commandHelp, mainHelp } from './help';
import {
  DEFAULT_TOKEN_LIFETIME_MINUTES,
  Parsed,
  parseDataSourceUrl,
  parseRequiredText,
  parseTokenLifetime,
  parseWindowMinutes,
} from './validation';

/** Bad command line or configuration: exit status 2. */
export class UsageError extends Error {
  readonly name = 'UsageError';
}

export interface GlobalOptions {
  json: boolean;
  saveList: boolean;
  recordsDir: string;
  tokenConfig?: string;
}

/** Data source fields given as flags; absent means "default" (register) or "keep" (update). */
export interface DataSourceFlags {
  url?: string;
  audience?: string;
  subject?: string;
  schemaId?: string;
  nonce?: string;
  tokenLifetimeMinutes?: number;
}

export type Invocation =
  | { kind: 'help'; text: string }
  | { kind: 'interactive'; global: GlobalOptions }
  | { kind: 'list' | 'schemas'; global: GlobalOptions }
  | { kind: 'show'; global: GlobalOptions; id: string }
  | { kind: 'register'; global: GlobalOptions; flags: DataSourceFlags & { url: string } }
  | { kind: 'update'; global: GlobalOptions; id: string; flags: DataSourceFlags; status?: 'active' | 'disabled'; errorMessage?: string }
  | { kind: 'extend'; global: GlobalOptions; ids: string[] | 'all'; expiringWithinMinutes?: number; tokenLifetimeMinutes: number }
  | { kind: 'verify'; global: GlobalOptions; token: TokenToVerify; jwksFile?: string }
  | { kind: 'delete'; global: GlobalOptions; id: string; yes: boolean };

/** Which token `byods verify` checks, and against what audience and subject. */
export type TokenToVerify =
  | { from: 'data source'; id: string }
  | { from: 'argument'; jws: string; audience: string; subject: string }
  | { from: 'stdin'; audience: string; subject: string };

const OPTIONS = {
  json: { type: 'boolean' },
  'save-list': { type: 'boolean' },
  'records-dir': { type: 'string' },
  'token-config': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  url: { type: 'string' },
  audience: { type: 'string' },
  subject: { type: 'string' },
  'schema-id': { type: 'string' },
  nonce: { type: 'string' },
  'token-lifetime': { type: 'string' },
  status: { type: 'string' },
  'error-message': { type: 'string' },
  all: { type: 'boolean' },
  'expiring-within': { type: 'string' },
  jwks: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
} as const;

type OptionName = keyof typeof OPTIONS;
const GLOBAL: OptionName[] = ['json', 'save-list', 'records-dir', 'token-config', 'help'];
const FIELDS: OptionName[] = ['url', 'audience', 'subject', 'schema-id', 'nonce', 'token-lifetime'];
const ALLOWED: Record<string, OptionName[]> = {
  list: GLOBAL,
  show: GLOBAL,
  schemas: GLOBAL,
  register: [...GLOBAL, ...FIELDS],
  update: [...GLOBAL, ...FIELDS, 'status', 'error-message'],
  extend: [...GLOBAL, 'all', 'expiring-within', 'token-lifetime'],
  verify: [...GLOBAL, 'audience', 'subject', 'jwks'],
  delete: [...GLOBAL, 'yes'],
};

/** A compact JWS: three base64url parts. Data source IDs are UUIDs, so the two never look alike. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** `prog` is byods as the person typed it, for messages that name a command. */
export function parseInvocation(argv: string[], cwd: string, prog = 'byods'): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...operands] = positionals;

  if (command === 'help') return { kind: 'help', text: commandHelp(prog, operands[0] ?? '') ?? mainHelp(prog) };
  if (command !== undefined && !(command in ALLOWED)) throw new UsageError(`Unknown command "${command}".`);
  if (values.help) return { kind: 'help', text: (command && commandHelp(prog, command)) || mainHelp(prog) };

  const given = Object.keys(values) as OptionName[];
  const allowed = command ? ALLOWED[command] : GLOBAL.filter((name) => name !== 'json');
  const stray = given.find((name) => !allowed.includes(name));
  if (stray) throw new UsageError(`--${stray} does not apply to ${command ? `"${prog} ${command}"` : 'the interactive menu'}.`);

  const global: GlobalOptions = {
    json: values.json ?? false,
    saveList: values['save-list'] ?? false,
    recordsDir: values['records-dir'] ?? cwd,
    tokenConfig: values['token-config'],
  };
  const flags: DataSourceFlags = {
    url: check(values.url, parseDataSourceUrl, '--url'),
    audience: check(values.audience, parseRequiredText('the audience'), '--audience'),
    subject: check(values.subject, parseRequiredText('the subject'), '--subject'),
    schemaId: check(values['schema-id'], parseRequiredText('the schema ID'), '--schema-id'),
    nonce: check(values.nonce, parseRequiredText('the nonce'), '--nonce'),
    tokenLifetimeMinutes: check(values['token-lifetime'], parseTokenLifetime, '--token-lifetime'),
  };

  switch (command) {
    case undefined:
      return { kind: 'interactive', global };
    case 'list':
    case 'schemas':
      expectOperands(prog, command, operands, 0);
      return { kind: command, global };
    case 'show':
      expectOperands(prog, command, operands, 1);
      return { kind: 'show', global, id: operands[0] };
    case 'register':
      expectOperands(prog, command, operands, 0);
      if (!flags.url) throw new UsageError(`"${prog} register" needs --url, where Webex will send the data.`);
      return { kind: 'register', global, flags: { ...flags, url: flags.url } };
    case 'update':
      expectOperands(prog, command, operands, 1);
      return { kind: 'update', global, id: operands[0], flags, ...statusChange(values.status, values['error-message']) };
    case 'delete':
      expectOperands(prog, command, operands, 1);
      return { kind: 'delete', global, id: operands[0], yes: values.yes ?? false };
    case 'verify':
      if (operands.length !== 1) throw new UsageError(`"${prog} verify" takes one data source ID, or one token (- reads it from standard input).`);
      return { kind: 'verify', global, token: tokenToVerify(prog, operands[0], flags), jwksFile: values.jwks };
    default:
      return extendInvocation(prog, global, operands, values.all ?? false, values['expiring-within'], flags.tokenLifetimeMinutes);
  }
}

function tokenToVerify(prog: string, operand: string, flags: DataSourceFlags): TokenToVerify {
  const isId = operand !== '-' && !COMPACT_JWS.test(operand.trim());
  if (isId) {
    if (flags.audience !== undefined || flags.subject !== undefined) throw new UsageError('--audience and --subject go with a token; a data source ID brings its own.');
    return { from: 'data source', id: operand };
  }
  if (flags.audience === undefined || flags.subject === undefined) {
    throw new UsageError(`"${prog} verify" of a token needs --audience and --subject, the values your data source expects (or give a data source ID instead).`);
  }
  const expected = { audience: flags.audience, subject: flags.subject };
  return operand === '-' ? { from: 'stdin', ...expected } : { from: 'argument', jws: operand.trim(), ...expected };
}

function extendInvocation(prog: string, global: GlobalOptions, ids: string[], all: boolean, expiringWithin: string | undefined, lifetime: number | undefined): Invocation {
  if (all && ids.length) throw new UsageError('Give data source IDs or --all, not both.');
  if (!all && !ids.length) throw new UsageError(`"${prog} extend" needs data source IDs or --all.`);
  if (expiringWithin !== undefined && !all) throw new UsageError('--expiring-within goes with --all.');
  return {
    kind: 'extend',
    global,
    ids: all ? 'all' : ids,
    expiringWithinMinutes: check(expiringWithin, parseWindowMinutes, '--expiring-within'),
    tokenLifetimeMinutes: lifetime ?? DEFAULT_TOKEN_LIFETIME_MINUTES,
  };
}

function statusChange(status: string | undefined, errorMessage: string | undefined): { status?: 'active' | 'disabled'; errorMessage?: string } {
  if (status !== undefined && status !== 'active' && status !== 'disabled') throw new UsageError('--status must be active or disabled.');
  if (status === 'disabled' && !errorMessage?.trim()) throw new UsageError('--status disabled needs --error-message, the message Control Hub shows to the customer admin.');
  if (errorMessage !== undefined && status !== 'disabled') throw new UsageError('--error-message goes with --status disabled.');
  return status === 'disabled' ? { status, errorMessage: errorMessage?.trim() } : status ? { status } : {};
}

function expectOperands(prog: string, command: string, operands: string[], count: number): void {
  if (operands.length === count) return;
  throw new UsageError(count === 0 ? `"${prog} ${command}" takes no arguments (got "${operands[0]}").` : `"${prog} ${command}" needs exactly one data source ID.`);
}

function check<T>(raw: string | undefined, parse: (text: string) => Parsed<T>, flag: string): T | undefined {
  if (raw === undefined) return undefined;
  const result = parse(raw);
  if (!result.ok) throw new UsageError(`${flag}: ${result.reason}.`);
  return result.value;
}
