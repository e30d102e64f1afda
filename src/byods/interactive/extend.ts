import { tokenExpiresAt } from '../dataSourceView';
import { formatTimeLeft } from '../format';
import { extendDataSource } from '../operations';
import { DEFAULT_TOKEN_LIFETIME_MINUTES, MAX_TOKEN_LIFETIME_MINUTES, parseTokenLifetime } from '../validation';
import { MenuContext, MenuState, parseNumberUpTo } from './context';

/** A new token for one data source: new nonce, chosen lifetime, everything else kept. */
export async function quickExtendFlow(ctx: MenuContext, state: MenuState): Promise<void> {
  const { prompter } = ctx;
  if (!state.sources.length) {
    prompter.say('There are no data sources to extend.');
    return;
  }
  const number = await prompter.askValid(`Data source to extend (1-${state.sources.length})`, parseNumberUpTo(state.sources.length));
  const id = state.sources[number - 1].id;
  const lifetime = await prompter.askValid(`Token lifetime in minutes (1-${MAX_TOKEN_LIFETIME_MINUTES})`, parseTokenLifetime, String(DEFAULT_TOKEN_LIFETIME_MINUTES));
  const result = await extendDataSource(ctx.api, ctx.records, id, lifetime);
  const expiresAt = tokenExpiresAt(result.dataSource);
  prompter.say(
    `Extended ${id}: token expires ${expiresAt?.toISOString() ?? 'at an unknown time'} (${formatTimeLeft(expiresAt, ctx.now())}).` +
      (result.recordPath ? ` Record: ${result.recordPath}` : ''),
  );
}
