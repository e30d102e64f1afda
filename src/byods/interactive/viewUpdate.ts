import { randomUUID } from 'node:crypto';
import type { DataSource, DataSourceUpdate } from '../../webex/dataSources';
import { formatDetails } from '../details';
import { currentSettings, updateDataSource } from '../operations';
import { MAX_TOKEN_LIFETIME_MINUTES, parseDataSourceUrl, parseNewNonce, parseRequiredText, parseTokenLifetime } from '../validation';
import type { MenuContext, MenuState } from './context';
import { pickSchema } from './schemaMenu';
import { summary } from './summary';

/** Shows every field of the data source as Webex has it now, then offers to update it. */
export async function viewFlow(ctx: MenuContext, state: MenuState, id: string): Promise<void> {
  const source = await ctx.api.get(id);
  ctx.prompter.say(`\nData source ${source.id}\n${formatDetails(source, state.schemas, ctx.now())}`);
  if (await ctx.prompter.confirm('Update this data source?')) await updateFlow(ctx, state, source);
}

/** Every answer pre-filled with the current value; a new nonce is required; confirms before sending. */
async function updateFlow(ctx: MenuContext, state: MenuState, source: DataSource): Promise<void> {
  const { prompter } = ctx;
  const current = currentSettings(source);
  prompter.say('\nUpdate (press Enter to keep the value in brackets).');
  const audience = await prompter.askValid('Audience', parseRequiredText('the audience'), current.audience);
  const subject = await prompter.askValid('Subject', parseRequiredText('the subject'), current.subject);
  const url = await prompter.askValid('URL (http:// or https://)', parseDataSourceUrl, current.url);
  const schemaId = await pickSchema(prompter, state.schemas, current.schemaId);
  const tokenLifetimeMinutes = await prompter.askValid(
    `Token lifetime in minutes (1-${MAX_TOKEN_LIFETIME_MINUTES})`,
    parseTokenLifetime,
    String(current.tokenLifetimeMinutes),
  );
  const nonce = await prompter.askValid('New nonce (required for every update)', parseNewNonce(current.nonce), randomUUID());
  const status = await askStatus(ctx, current);
  const update: DataSourceUpdate = { schemaId, url, audience, subject, nonce, tokenLifetimeMinutes, ...status };

  prompter.say(`\nAbout to update ${source.id}:\n${summary(update, state)}`);
  if (!(await prompter.confirm('Apply these changes?'))) {
    prompter.say('Update cancelled; nothing was sent.');
    return;
  }
  const result = await updateDataSource(ctx.api, ctx.records, source.id, update);
  prompter.say(`Updated data source ${result.dataSource.id} (${result.dataSource.status ?? 'status unknown'}).${result.recordPath ? ` Record: ${result.recordPath}` : ''}`);
}

/** Disabling needs the message Control Hub shows the customer's admin; enabling clears it. */
async function askStatus(ctx: MenuContext, current: DataSourceUpdate): Promise<Pick<DataSourceUpdate, 'status' | 'errorMessage'>> {
  const { prompter } = ctx;
  const askMessage = (defaultValue?: string) => prompter.askValid('Error message to show in Control Hub', parseRequiredText('the error message'), defaultValue);
  if (current.status === 'disabled') {
    if (await prompter.confirm('The data source is disabled. Enable it?')) return { status: 'active' };
    return { status: 'disabled', errorMessage: await askMessage(current.errorMessage) };
  }
  if (await prompter.confirm('Disable this data source?')) return { status: 'disabled', errorMessage: await askMessage() };
  return { status: 'active' };
}
