import { audienceOf } from '../dataSourceView';
import { deleteDataSource } from '../operations';
import { MenuContext, MenuState, pickDataSource } from './context';

/** Picks a data source, shows it as Webex has it now, and deletes it on an explicit yes. */
export async function deleteFlow(ctx: MenuContext, state: MenuState): Promise<void> {
  const { prompter } = ctx;
  const id = await pickDataSource(ctx, state, 'delete');
  if (id === undefined) return;
  const source = await ctx.api.get(id);
  prompter.say(`\n  ID:        ${source.id}\n  Audience:  ${audienceOf(source) ?? '-'}\n  URL:       ${source.url ?? '-'}\n  Status:    ${source.status ?? '-'}`);
  if (!(await prompter.confirm('Delete this data source? Webex stops sending it data; this cannot be undone.'))) {
    prompter.say('Deletion cancelled; nothing was sent.');
    return;
  }
  const result = await deleteDataSource(ctx.api, ctx.records, source);
  prompter.say(`Deleted data source ${source.id}.${result.recordPath ? ` Record: ${result.recordPath}` : ''}`);
}
