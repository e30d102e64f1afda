import { DataSourcesApi } from '../webex/dataSources';
import { WebexHttp } from '../webex/http';
import { Invocation, parseInvocation, UsageError } from './args';
import { TokenSession } from './auth';
import { createCliLogger } from './cliLog';
import { CommandContext } from './commands/context';
import { extendCommand } from './commands/extend';
import { listCommand } from './commands/list';
import { registerCommand } from './commands/register';
import { schemasCommand } from './commands/schemas';
import { showCommand } from './commands/show';
import { updateCommand } from './commands/update';
import { describeFailure, ExplainedError } from './failures';
import { MenuContext } from './interactive/context';
import { Prompter, PromptCancelled } from './interactive/prompter';
import { runMenu } from './interactive/session';
import { OperationFailed } from './operations';
import { RecordWriter } from './records';
import { readSettings, Settings } from './settings';

export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  cwd: string;
  /** How to leave at once when Ctrl-C arrives while a Webex call runs. */
  exitNow: (status: number) => void;
}

/** Exit status: 0 done, 1 a Webex call (or the token) failed, 2 bad usage or configuration, 130 Ctrl-C. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let prepared: Prepared;
  try {
    prepared = prepare(argv, env, io);
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof ExplainedError)) throw err;
    io.stderr.write(`byods: ${err.message}\n${err instanceof UsageError ? 'Run "byods --help" for usage.\n' : ''}`);
    return 2;
  }
  if (prepared.kind === 'help') {
    io.stdout.write(`${prepared.text}\n`);
    return 0;
  }
  return execute(prepared.invocation, prepared.settings, io);
}

type Runnable = Exclude<Invocation, { kind: 'help' }>;
type Prepared = { kind: 'help'; text: string } | { kind: 'run'; invocation: Runnable; settings: Settings };

/** Everything that can be wrong before a single call: arguments, terminal, environment. */
function prepare(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Prepared {
  const invocation = parseInvocation(argv, io.cwd);
  if (invocation.kind === 'help') return invocation;
  if (invocation.kind === 'interactive' && !(io.stdin.isTTY && io.stdout.isTTY)) {
    throw new UsageError('The interactive menu needs a terminal; use a command instead.');
  }
  return { kind: 'run', invocation, settings: readSettings(env, invocation.global.tokenConfig) };
}

async function execute(invocation: Runnable, settings: Settings, io: CliIo): Promise<number> {
  const logger = createCliLogger(settings.logLevel, io.stderr);
  const session = new TokenSession(settings, logger);
  const api = new DataSourcesApi(new WebexHttp({ baseUrl: settings.baseUrl, getToken: session.getToken, refreshToken: session.refreshToken, logger }));
  const records = new RecordWriter(invocation.global.recordsDir);
  const now = () => new Date();
  try {
    // Obtained up front: WebexHttp would take a failure inside getToken for a network error and retry it.
    if (!settings.accessToken) await session.getToken();
    if (invocation.kind === 'interactive') return await interactive(io, { api, records, now, tokenName: () => session.tokenName() }, invocation.global.saveList);
    if (invocation.global.saveList) io.stderr.write(`Saved the list to ${records.writeList(await api.list())}\n`);
    return await runCommand(invocation, { api, records, stdout: io.stdout, stderr: io.stderr, json: invocation.global.json, now });
  } catch (err) {
    const recordNote = err instanceof OperationFailed && err.recordPath ? `\nThe failure is recorded in ${err.recordPath}` : '';
    io.stderr.write(`Error: ${describeFailure(err, session.tokenName())}${recordNote}\n`);
    const cause = err instanceof OperationFailed ? err.cause : err;
    return cause instanceof UsageError ? 2 : 1;
  }
}

function runCommand(invocation: Exclude<Runnable, { kind: 'interactive' }>, ctx: CommandContext): Promise<number> {
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
  }
}

async function interactive(io: CliIo, deps: Omit<MenuContext, 'prompter' | 'errors'>, saveList: boolean): Promise<number> {
  const prompter = new Prompter({
    input: io.stdin,
    output: io.stdout,
    terminal: true,
    onInterruptWhileBusy: () => {
      io.stderr.write('\nInterrupted.\n');
      io.exitNow(130);
    },
  });
  try {
    return await runMenu({ ...deps, prompter, errors: io.stderr }, { saveList });
  } catch (err) {
    if (!(err instanceof PromptCancelled)) throw err;
    io.stdout.write(err.reason === 'interrupt' ? '\nInterrupted.\n' : '\nBye.\n');
    return err.reason === 'interrupt' ? 130 : 0;
  } finally {
    prompter.close();
  }
}
