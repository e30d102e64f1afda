import { randomUUID } from 'node:crypto';
import type { DataSourceConfiguration } from '../../webex/dataSources';
import { registerDataSource } from '../operations';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_SUBJECT,
  DEFAULT_TOKEN_LIFETIME_MINUTES,
  MAX_TOKEN_LIFETIME_MINUTES,
  parseDataSourceUrl,
  parseRequiredText,
  parseTokenLifetime,
} from '../validation';
import type { MenuContext, MenuState } from './context';
import { pickSchema } from './schemaMenu';
import { summary } from './summary';

/** Asks for each field (Enter takes the default in brackets), shows a summary, registers on "y". */
export async function registerFlow(ctx: MenuContext, state: MenuState): Promise<void> {
  const { prompter } = ctx;
  prompter.say('\nRegister a new data source (press Enter to accept the value in brackets).');
  const audience = await prompter.askValid('Audience', parseRequiredText('the audience'), DEFAULT_AUDIENCE);
  const nonce = await prompter.askValid('Nonce', parseRequiredText('the nonce'), randomUUID());
  const schemaId = await pickSchema(prompter, state.schemas);
  const subject = await prompter.askValid('Subject', parseRequiredText('the subject'), DEFAULT_SUBJECT);
  const url = await prompter.askValid('URL (http:// or https://)', parseDataSourceUrl);
  const tokenLifetimeMinutes = await prompter.askValid(
    `Token lifetime in minutes (1-${MAX_TOKEN_LIFETIME_MINUTES})`,
    parseTokenLifetime,
    String(DEFAULT_TOKEN_LIFETIME_MINUTES),
  );
  const configuration: DataSourceConfiguration = { schemaId, url, audience, subject, nonce, tokenLifetimeMinutes };

  prompter.say(`\nAbout to register:\n${summary(configuration, state)}`);
  if (!(await prompter.confirm('Proceed with registration?'))) {
    prompter.say('Registration cancelled; nothing was sent.');
    return;
  }
  const result = await registerDataSource(ctx.api, ctx.records, configuration);
  prompter.say(`Registered data source ${result.dataSource.id}.${result.recordPath ? ` Record: ${result.recordPath}` : ''}`);
}
