import { join } from 'node:path';
import { DataSourcesApi } from '../webex/dataSources';
import { WebexHttp } from '../webex/http';
import { WebexTokenSource } from '../webex/tokenSource';
import { Invocation, parseInvocation, UsageError } from './args';
import { createCliLogger } from './cliLog';
import { CommandContext, printMessage } from './commands/context';
import { deleteCommand } from './commands/delete';
import { extendCommand } from './commands/extend';
import { listCommand } from './commands/list';
import { registerCommand } from './commands/register';
import { schemasCommand } from './commands/schemas';
import { showCommand } from './commands/show';
import { updateCommand } from './commands/update';
import { verifyCommand } from './commands/verify';
import { describeFailure, ExplainedError } from './failures';
import { MenuContext } from './interactive/context';
import { Prompter, PromptCancelled } from './interactive/prompter';
import { runMenu } from './interactive/session';
import { OperationFailed } from './operations';
import { RecordWriter } from './records';
import { readSettings, requireCredentials, Settings } from './settings';
import { TOKEN_FILE_NAME, TokenFile } from './tokenFile';
import { keySetFromFile, remoteKeySet, type KeySet } from './verify';

export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  cwd: string;
  /** byods as the person typed it ("byods", "npm run byods --"), for hints that name a command. */
  prog: string;
  /** How to leave at once when Ctrl-C arrives while a Webex call runs. */
  exitNow: (status: number) => void;
}

/** Exit status: 0 done, 1 a Webex call (or the token, or a verified token) failed, 2 bad usage or configuration, 130 Ctrl-C. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let prepared: Prepared;
  try {
    prepared = prepare(argv, env, io);
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof ExplainedError)) throw err;
    printMessage(io, err.message);
    if (err instanceof UsageError) printMessage(io, `Run "${io.prog} --help" for usage.`);
    return 2;
  }
  if (prepared.kind === 'help') {
    io.stdout.write(`${prepared.text}\n`);
    return 0;
  }
  return execute(prepared, io);
}

type Runnable = Exclude<Invocation, { kind: 'help' }>;
type Prepared = { kind: 'help'; text: string } | { kind: 'run'; invocation: Runnable; settings: Settings; keySet?: KeySet };

/** Everything that can be wrong before a single call: arguments, terminal, environment, files named. */
function prepare(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Prepared {
  const invocation = parseInvocation(argv, io.cwd, io.prog);
  if (invocation.kind === 'help') return invocation;
  if (invocation.kind === 'interactive' && !(io.stdin.isTTY && io.stdout.isTTY)) {
    throw new UsageError('The interactive menu needs a terminal; use a command instead.');
  }
  const settings = readSettings(env, invocation.global.tokenConfig, io.cwd);
  const verifiesGivenToken = invocation.kind === 'verify' && invocation.token.from !== 'data source';
  if (!verifiesGivenToken) requireCredentials(settings);
  const keySet = invocation.kind === 'verify' && invocation.jwksFile ? keySetFromFile(invocation.jwksFile) : undefined;
  return { kind: 'run', invocation, settings, keySet };
}

async function execute({ invocation, settings, keySet }: Extract<Prepared, { kind: 'run' }>, io: CliIo): Promise<number> {
  const logger = createCliLogger(settings.logLevel, io.stderr);
  const { credentials } = settings;
  const tokens = new WebexTokenSource({
    baseUrl: settings.baseUrl,
    logger,
    names: credentials.names,
    accessToken: credentials.accessToken,
    client: credentials.client,
    refreshToken: credentials.refreshToken,
    bootstrap: credentials.bootstrap,
    vault: new TokenFile(settings.tokenFile ?? join(invocation.global.recordsDir, TOKEN_FILE_NAME)),
  });
  const api = new DataSourcesApi(new WebexHttp({ baseUrl: settings.baseUrl, getToken: tokens.getToken, refreshToken: tokens.refreshToken, logger }));
  const records = new RecordWriter(invocation.global.recordsDir);
  const now = () => new Date();
  try {
    if (invocation.kind === 'interactive') return await interactive(io, { api, records, now, prog: io.prog }, invocation.global.saveList);
    if (invocation.global.saveList) printMessage(io, `Saved the list to ${records.writeList(await api.list())}`);
    const ctx: CommandContext = { api, records, stdout: io.stdout, stderr: io.stderr, json: invocation.global.json, now, prog: io.prog, confirm: terminalConfirm(io) };
    return await runCommand(invocation, ctx, { keySet: () => keySet ?? remoteKeySet(settings.keySetUrl), readStdin: () => readAll(io.stdin) });
  } catch (err) {
    const recordNote = err instanceof OperationFailed && err.recordPath ? ` The failure is recorded in ${err.recordPath}` : '';
    printMessage(io, `${describeFailure(err, io.prog)}${recordNote}`);
    const cause = err instanceof OperationFailed ? err.cause : err;
    if (cause instanceof UsageError) printMessage(io, `Run "${io.prog} --help" for usage.`);
    return cause instanceof UsageError ? 2 : 1;
  }
}

function runCommand(invocation: Exclude<Runnable, { kind: 'interactive' }>, ctx: CommandContext, verifying: { keySet: () => KeySet; readStdin: () => Promise<string> }): Promise<number> {
  switch (invocation.kind) {
    case 'list':
      return listCommand(ctx);
    case 'schemas':
      return schemasCommand(ctx);
    case 'show':
      return showCommand(ctx, invocation.id);
    case 'register':
      return registerCommand(ctx, invocation.flags);
    case 'update':
      return updateCommand(ctx, invocation);
    case 'extend':
      return extendCommand(ctx, invocation);
    case 'verify':
      return verifyCommand(ctx, { token: invocation.token, ...verifying });
    case 'delete':
      return deleteCommand(ctx, invocation);
  }
}

/** A y/N question on the terminal, when there is one to ask on. */
function terminalConfirm(io: CliIo): CommandContext['confirm'] {
  if (!(io.stdin.isTTY && io.stdout.isTTY)) return undefined;
  return async (question) => {
    const prompter = new Prompter({ input: io.stdin, output: io.stdout, terminal: true });
    try {
      return await prompter.confirm(question);
    } catch (err) {
      if (err instanceof PromptCancelled) return false;
      throw err;
    } finally {
      prompter.close();
    }
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

async function interactive(io: CliIo, deps: Omit<MenuContext, 'prompter' | 'errors'>, saveList: boolean): Promise<number> {
  const prompter = new Prompter({
    input: io.stdin,
    output: io.stdout,
    terminal: true,
    onInterruptWhileBusy: () => {
      io.stderr.write('\nbyods: Interrupted.\n');
      io.exitNow(130);
    },
  });
  try {
    return await runMenu({ ...deps, prompter, errors: io.stderr }, { saveList });
  } catch (err) {
    if (!(err instanceof PromptCancelled)) throw err;
    io.stdout.write(err.reason === 'interrupt' ? '\nbyods: Interrupted.\n' : '\nBye.\n');
    return err.reason === 'interrupt' ? 130 : 0;
  } finally {
    prompter.close();
  }
}
