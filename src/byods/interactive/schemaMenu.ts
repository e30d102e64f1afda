import type { DataSourceSchema } from '../../webex/dataSources';
import { schemaLabel } from '../dataSourceView';
import { parseRequiredText } from '../validation';
import { parseNumberUpTo } from './context';
import type { Prompter } from './prompter';

/**
 * A numbered menu of the schemas (service type, description), Enter taking the current schema
 * when updating or the first one when registering. Returns the chosen schema ID.
 */
export async function pickSchema(prompter: Prompter, schemas: DataSourceSchema[], currentId?: string): Promise<string> {
  if (!schemas.length) return prompter.askValid('Schema ID (Webex listed no schemas)', parseRequiredText('the schema ID'), currentId);
  prompter.say('Schemas:');
  schemas.forEach((schema, index) => {
    const current = schema.id === currentId ? '  <- current' : '';
    prompter.say(`  ${index + 1}. ${schema.serviceType ?? 'Unknown service type'} - ${schema.description ?? 'no description'} (${schema.id})${current}`);
  });
  const currentIndex = currentId === undefined ? 0 : schemas.findIndex((schema) => schema.id === currentId);
  if (currentIndex < 0 && currentId !== undefined) {
    // The current schema is not listed (withdrawn?): Enter keeps it rather than silently switching.
    const keep = `keep ${schemaLabel(currentId, schemas)}`;
    const choice = await prompter.askValid(`Schema number [Enter to ${keep}]`, (text) => (text === '' ? { ok: true, value: 0 } : parseNumberUpTo(schemas.length)(text)));
    return choice === 0 ? currentId : schemas[choice - 1].id;
  }
  const choice = await prompter.askValid('Schema number', parseNumberUpTo(schemas.length), String(currentIndex + 1));
  return schemas[choice - 1].id;
}
