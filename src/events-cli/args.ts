export class UsageError extends Error {}

export type EventsCommand =
  | { kind: 'help' }
  | { kind: 'list'; limit: number; json: boolean }
  | { kind: 'show'; token: string; json: boolean }
  | { kind: 'retry'; token: string; json: boolean }
  | { kind: 'invitations'; json: boolean }
  | { kind: 'resend-invitation'; email: string; json: boolean }
  | { kind: 'webex-login'; json: boolean }
  | { kind: 'reconcile'; json: boolean; fix: boolean; dryRun: boolean };

export const USAGE = `Usage: npm run events -- <command> [--json]

Commands:
  npm run events -- list [--limit N]   the most recent events (default 50), newest first
  npm run events -- show <token>       one event: state, result, Webex tracking IDs and its timeline
  npm run events -- retry <token>      work a failed event again; the new result is POSTed to AppDirect
  npm run events -- invitations          users whose e-mail had a Webex account, waiting to accept Webex's invitation to move it
  npm run events -- resend-invitation <email>
                                       have Webex send that user its invitation again
  npm run events -- webex-login        give the running connector a new Webex refresh token, read from standard
                                       input (typed hidden on a terminal): events waiting for credentials resume
  npm run events -- reconcile [--fix] [--dry-run]
                                       compare every account with Webex: a table of drift by kind; --fix
                                       repairs what it may, --dry-run shows the calls --fix would make

Options:
  --json             machine-readable output on stdout (with npm run --silent, so npm adds nothing)
  --help             this text

Reads the connector's journal: DATABASE_URL when set, else the SQLite file in DATA_DIR (default ./data);
.env is read. No other setting is needed, except by reconcile: it calls Webex, with the connector's whole
configuration. In the Docker image: node dist/src/events-cli/main.js <command>.
Exit status: 0 done, 1 the event or the store said no, 2 bad usage or configuration.
reconcile: 0 in sync, 1 drift found (after --fix: drift left), 2 bad usage or configuration, 3 not every account
could be compared with Webex (the message or the report says why).`;

const DEFAULT_LIMIT = 50;

export function parseArgs(argv: string[]): EventsCommand {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const json = argv.includes('--json');
  const rest = argv.filter((arg) => arg !== '--json');
  const [command, ...operands] = rest;
  switch (command) {
    case 'list':
      return { kind: 'list', limit: limitOf(operands), json };
    case 'show':
    case 'retry':
      return { kind: command, token: tokenOf(command, operands), json };
    case 'invitations':
      if (operands.length) throw new UsageError('invitations takes no operand');
      return { kind: command, json };
    case 'resend-invitation':
      return { kind: command, email: emailOf(operands), json };
    case 'webex-login':
      if (operands.length) throw new UsageError('webex-login takes no operand: it reads the refresh token from standard input, e.g. npm run events -- webex-login < token.txt');
      return { kind: command, json };
    case 'reconcile':
      return reconcileOf(operands, json);
    case undefined:
      throw new UsageError('a command is needed: npm run events -- list, show <token>, retry <token>, invitations, resend-invitation <email>, webex-login or reconcile');
    default:
      throw new UsageError(`unknown command "${command}"; the commands are list, show <token>, retry <token>, invitations, resend-invitation <email>, webex-login and reconcile`);
  }
}

function limitOf(operands: string[]): number {
  if (operands.length === 0) return DEFAULT_LIMIT;
  const [flag, value, ...extra] = operands;
  const limit = Number(value);
  if (flag !== '--limit' || extra.length || !Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError('list takes only --limit N, with N a whole number from 1 to 1000, e.g. npm run events -- list --limit 20');
  }
  return limit;
}

function emailOf(operands: string[]): string {
  if (operands.length !== 1 || !/^[^\s@]+@[^\s@]+$/.test(operands[0])) throw new UsageError('resend-invitation takes one e-mail address, e.g. "resend-invitation ada@example.com"');
  return operands[0];
}

function tokenOf(command: string, operands: string[]): string {
  if (operands.length !== 1 || operands[0].startsWith('-')) throw new UsageError(`${command} takes one event token, e.g. npm run events -- ${command} 6f3c…`);
  return operands[0];
}

const RECONCILE_FLAGS = ['--fix', '--dry-run'];

function reconcileOf(operands: string[], json: boolean): EventsCommand {
  const unknown = operands.filter((operand) => !RECONCILE_FLAGS.includes(operand));
  if (unknown.length) throw new UsageError(`reconcile takes only --fix, --dry-run and --json (not ${unknown.join(' ')})`);
  return { kind: 'reconcile', json, fix: operands.includes('--fix'), dryRun: operands.includes('--dry-run') };
}
