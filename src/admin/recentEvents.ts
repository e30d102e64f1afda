import type { StoreParts } from '../store';
import { EventSummary, loadEventDetails, summarize } from './eventView';

/**
 * The newest events with what their jobs and timelines add (attempts, problems, tracking IDs). A few queries
 * per event: the lists are short (an operator's screen), so this stays cheap on either store.
 */
export async function recentEvents(store: StoreParts, limit: number): Promise<EventSummary[]> {
  const records = await store.journal.recent(limit);
  const details = await Promise.all(records.map((record) => loadEventDetails(store, record.token)));
  return details.flatMap((d) => (d ? [summarize(d)] : []));
}
