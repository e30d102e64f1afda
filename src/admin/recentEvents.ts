import type { Store } from '../store/types';
import { EventSummary, summarize } from './eventView';

/**
 * The newest events with what their timelines add (attempts, tracking IDs). One timeline query per
 * event: the lists are short (an operator's screen), so this stays cheap on either store.
 */
export async function recentEvents(store: Store, limit: number): Promise<EventSummary[]> {
  const records = await store.recent(limit);
  return Promise.all(records.map(async (record) => summarize(record, await store.timeline(record.token))));
}
