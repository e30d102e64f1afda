import fs from 'node:fs';
import { ConfigError, parseConfig, parseStoreConfig, StoreConfig } from '../config';
import { loadEventDetails, summarize } from '../admin/eventView';
import { recentEvents } from '../admin/recentEvents';
import { pendingInvitations, requestInvitationResend } from '../admin/invitations';
import { retryEvent } from '../admin/retry';
import { openStore, sqliteFileIn, Store } from '../store';
import { supplyRefreshToken, WAITING_FOR_CREDENTIALS } from '../jobs/webexCredentials';
import { EventsCommand, parseArgs, USAGE, UsageError } from './args';
import { readSecret, SecretInput } from './secretInput';
import { invitationsText, listText, showText } from './output';
import { runReconcile } from './reconcile';

export interface CliIo {
  stdout: { write(text: string): unknown };
  /** `isTTY`: a terminal, where a long command shows its progress. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Where a secret is read from (webex-login). */
  stdin?: SecretInput;
}

/** A problem the operator can act on: the message is the whole story, exit status 1. */
class Refused extends Error {}

/** `npm run events -- list|show|retry|invitations|resend-invitation|reconcile`. Resolves to the exit status; never throws, never prints a stack. */
export async function runEventsCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo, now: () => number = Date.now): Promise<number> {
  let command: EventsCommand | undefined;
  let store: Store | undefined;
  try {
    command = parseArgs(argv);
    if (command.kind === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command.kind === 'reconcile') {
      const config = parseConfig(env);
      store = await openJournal(config, io);
      return await runReconcile(command, config, store, io, now);
    }
    store = await openJournal(parseStoreConfig(env), io);
    io.stdout.write(`${await execute(command, store, now, io)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`events: ${err.message} (usage: npm run events -- --help)\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      const needs = command?.kind === 'reconcile' ? 'reconcile calls Webex with the connector\'s configuration: ' : '';
      io.stderr.write(`events: ${needs}${err.problems.join('; ')} (see .env.sample)\n`);
      return 2;
    }
    io.stderr.write(`events: ${err instanceof Refused ? err.message : `the journal could not be read: ${err instanceof Error ? err.message : String(err)}`}\n`);
    return 1;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

/** Listing or retrying events needs only the store settings, no Webex or AppDirect credentials. */
async function openJournal(config: StoreConfig, io: CliIo): Promise<Store> {
  // Opening SQLite creates the file: a wrong DATA_DIR would otherwise show an empty journal instead of an error.
  if (!config.databaseUrl && !fs.existsSync(sqliteFileIn(config.dataDir))) {
    throw new Refused(`there is no journal in ${config.dataDir}: set DATA_DIR to the connector's data folder, or DATABASE_URL to its database`);
  }
  return openStore(config, { onIdleError: (err) => io.stderr.write(`events: a database connection failed (${err.message})\n`) });
}

async function execute(command: Exclude<EventsCommand, { kind: 'help' | 'reconcile' }>, store: Store, now: () => number, io: CliIo): Promise<string> {
  switch (command.kind) {
    case 'list': {
      const events = await recentEvents(store, command.limit);
      if (command.json) return JSON.stringify(events, null, 2);
      const waiting = await store.queue.waiting(WAITING_FOR_CREDENTIALS);
      const notice = waiting.count
        ? `Waiting for Webex credentials: ${waiting.count} event(s) hold until a working credential is given (npm run events -- webex-login, or a new .env and a restart).\nLast problem: ${waiting.lastError ?? 'not recorded'}\n\n`
        : '';
      return `${notice}${listText(events)}`;
    }
    case 'show': {
      const details = await loadEventDetails(store, command.token);
      if (!details) throw new Refused(`no event with token ${command.token}`);
      const { timeline } = details;
      const summary = summarize(details);
      return command.json ? JSON.stringify({ ...summary, timeline: timeline.map((t) => ({ ...t, at: new Date(t.at).toISOString() })) }, null, 2) : showText(summary, timeline);
    }
    case 'retry': {
      const outcome = await retryEvent(store, command.token, now(), 'the events CLI');
      if (outcome.kind === 'not_found') throw new Refused(`no event with token ${command.token}`);
      if (outcome.kind === 'not_retryable') throw new Refused(`event ${command.token} cannot be retried: ${outcome.reason}`);
      if (command.json) return JSON.stringify({ token: command.token, queued: true, appDirectHadOutcome: outcome.appDirectHadOutcome });
      const warning = outcome.appDirectHadOutcome ? '\nAppDirect already has the failure and may refuse the new result; "show" will tell what it answered.' : '';
      return `Retry queued for ${command.token}: the running connector works it within a second (or at its next start) and POSTs the new result to AppDirect.${warning}`;
    }
    case 'invitations': {
      const invitations = await pendingInvitations(store);
      return command.json ? JSON.stringify(invitations, null, 2) : invitationsText(invitations);
    }
    case 'webex-login': {
      if (!io.stdin) throw new Refused('there is no standard input to read the refresh token from');
      const refreshToken = await readSecret(io.stdin, io.stderr, 'Paste the new Webex refresh token (it is not shown), then press Enter: ').catch((err: unknown) => {
        throw new Refused(err instanceof Error ? err.message : String(err));
      });
      if (!/^\S+$/.test(refreshToken)) throw new Refused('that is not a refresh token: it must be one word with no spaces (nothing was changed)');
      await supplyRefreshToken(store, refreshToken, now());
      if (command.json) return JSON.stringify({ stored: true });
      return 'New Webex refresh token stored. The running connector renews with it within a minute; events waiting for credentials then resume by themselves.';
    }
    case 'resend-invitation': {
      const outcome = await requestInvitationResend(store, command.email, now());
      if (outcome.kind === 'not_found') throw new Refused(`nobody with e-mail ${command.email} is waiting to accept a Webex invitation`);
      if (command.json) return JSON.stringify({ email: command.email, queued: true, accounts: outcome.accounts });
      return `Invitation queued for ${command.email}: the running connector asks Webex to send it again within a second (or at its next start).`;
    }
  }
}
