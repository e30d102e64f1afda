import type { DataSourceUpdate } from '../../webex/dataSources';
import { schemaLabel } from '../dataSourceView';
import { formatFields, maskNonce } from '../format';
import type { MenuState } from './context';

/** What is about to be sent, nonce masked, for the person to confirm. */
export function summary(change: DataSourceUpdate, state: MenuState): string {
  const fields: Array<[string, string]> = [
    ['Audience', change.audience],
    ['Subject', change.subject],
    ['Schema', schemaLabel(change.schemaId, state.schemas)],
    ['URL', change.url],
    ['Token lifetime', `${change.tokenLifetimeMinutes} minutes`],
    ['Nonce', maskNonce(change.nonce)],
  ];
  if (change.status) fields.push(['Status', change.status]);
  if (change.errorMessage) fields.push(['Error message', change.errorMessage]);
  return formatFields(fields);
}
