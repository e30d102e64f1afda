import { tokenExpiresAt } from '../dataSourceView';
import { formatTimeLeft } from '../format';
import { extendDataSource } from '../operations';
import { DEFAULT_TOKEN_LIFETIME_MINUTES, MAX_TOKEN_LIFETIME_MINUTES, parseTokenLifetime } from '../validation';
import { MenuContext, MenuState, pickDataSource } from './context';

/** A new token for one data source: new nonce, chosen lifetime, everything else kept. */
export async function quickExtendFlow(ctx: MenuContext, state: MenuState): Promise<void> {
  const { prompter } = ctx;
  const id = await pickDataSource(ctx, state, 'extend');
  if (id === undefined) return;
  const lifetime = await prompter.askValid(`Token lifetime in minutes (1-${MAX_TOKEN_LIFETIME_MINUTES})`, parseTokenLifetime, String(DEFAULT_TOKEN_LIFETIME_MINUTES));
  const result = await extendDataSource(ctx.api, ctx.records, id, lifetime);
  const expiresAt = tokenExpiresAt(result.dataSource);
  prompter.say(
    `Extended ${id}: token expires ${expiresAt?.toISOString() ?? 'at an unknown time'} (${formatTimeLeft(expiresAt, ctx.now())}).` +
      (result.recordPath ? ` Record: ${result.recordPath}` : ''),
  );
}
