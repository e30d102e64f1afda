import { dataSourcesTable } from '../dataSourceView';
import type { Parsed } from '../validation';
import { MenuContext, MenuState, reportFailure } from './context';
import { deleteFlow } from './delete';
import { quickExtendFlow } from './extend';
import { PromptCancelled } from './prompter';
import { registerFlow } from './register';
import { viewFlow } from './viewUpdate';

type MenuChoice = { action: 'view'; index: number } | { action: 'register' | 'extend' | 'delete' | 'refresh' | 'quit' };

const LETTERS: Record<string, MenuChoice> = {
  n: { action: 'register' },
  e: { action: 'extend' },
  d: { action: 'delete' },
  r: { action: 'refresh' },
  q: { action: 'quit' },
};

/**
 * The interactive menu: loads the data sources and schemas, shows the table, and loops until
 * the person quits. A failed action is reported and the menu comes back; only a failure to load
 * at start ends the session (exit status 1). PromptCancelled (Ctrl-C, end of input) propagates.
 */
export async function runMenu(ctx: MenuContext, opts: { saveList: boolean }): Promise<0 | 1> {
  let state: MenuState;
  try {
    state = await load(ctx);
  } catch (err) {
    reportFailure(ctx, err);
    return 1;
  }
  if (opts.saveList) ctx.prompter.say(`Saved the list to ${ctx.records.writeList(state.sources)}`);

  for (;;) {
    showMenu(ctx, state);
    const choice = await ctx.prompter.askValid('Choice', parseMenuChoice(state.sources.length));
    if (choice.action === 'quit') return 0;
    try {
      if (choice.action === 'view') await viewFlow(ctx, state, state.sources[choice.index].id);
      if (choice.action === 'register') await registerFlow(ctx, state);
      if (choice.action === 'extend') await quickExtendFlow(ctx, state);
      if (choice.action === 'delete') await deleteFlow(ctx, state);
    } catch (err) {
      if (err instanceof PromptCancelled) throw err;
      reportFailure(ctx, err);
    }
    // After any action (and on request) the list is reloaded, so the table shows Webex's truth.
    try {
      state = await load(ctx);
    } catch (err) {
      reportFailure(ctx, err);
      ctx.prompter.say('Showing the list as it was last loaded.');
    }
  }
}

async function load(ctx: MenuContext): Promise<MenuState> {
  const [sources, schemas] = await Promise.all([ctx.api.list(), ctx.api.listSchemas()]);
  return { sources, schemas };
}

function showMenu(ctx: MenuContext, state: MenuState): void {
  const { prompter } = ctx;
  const count = state.sources.length;
  prompter.say(`\nBYODS data sources (${count})\n${dataSourcesTable(state.sources, ctx.now())}\n`);
  if (count) prompter.say(`  ${count === 1 ? '1' : `1-${count}`}  view or update that data source`);
  prompter.say('  n    register a new data source');
  prompter.say('  e    quick-extend a token');
  prompter.say('  d    delete a data source');
  prompter.say('  r    refresh the list');
  prompter.say('  q    quit');
}

function parseMenuChoice(count: number): (text: string) => Parsed<MenuChoice> {
  return (text) => {
    const answer = text.trim().toLowerCase();
    const letter = LETTERS[answer];
    if (letter) return { ok: true, value: letter };
    const number = /^\d+$/.test(answer) ? Number(answer) : NaN;
    if (number >= 1 && number <= count) return { ok: true, value: { action: 'view', index: number - 1 } };
    const numbers = count === 0 ? '' : count === 1 ? '1, ' : `1-${count}, `;
    return { ok: false, reason: `choose ${numbers}n, e, d, r or q` };
  };
}
