import { failure, success } from '../../src/appdirect/results';
import { retryBlocker, summarize, trackingIdsIn } from '../../src/admin/eventView';
import type { EventRecord, Job, TimelineEntry } from '../../src/store/types';

const base: EventRecord = { token: 't1', eventUrl: 'https://m.example/e/t1', ack: null, delivery: 'none', receivedAt: 0, updatedAt: 0, notifications: 1 };
const work: Job = { id: 'event:t1', kind: 'event.work', payload: { token: 't1' }, state: 'queued', runAt: 0, attempts: 0, checkpoint: {}, createdAt: 0, updatedAt: 0 };
const fetched = { type: 'SUBSCRIPTION_ORDER', event: { type: 'SUBSCRIPTION_ORDER', payload: { company: { name: 'Acme' } } } };
const retryEntry: TimelineEntry = { at: 1, kind: 'retry', detail: 'attempt 1 failed (Webex GET /x answered 503 (tracking ID ABC_1)); retrying in 20 ms' };

test.each<[string, Partial<EventRecord>, string]>([
  ['journaled, not read yet', {}, 'received'],
  ['read, being provisioned', fetched, 'waiting for Webex'],
  ['succeeded', { ...fetched, result: success() }, 'resolved'],
  ['failed', { ...fetched, result: failure('ACCOUNT_NOT_FOUND', 'no') }, 'failed'],
  ['succeeded but AppDirect refused the result', { ...fetched, result: success(), delivery: 'rejected' }, 'failed'],
])('%s → %s', (_name, patch, state) => {
  expect(summarize({ record: { ...base, ...patch }, work, timeline: [] }).state).toBe(state);
});

test('attempts come from the timeline, which keeps every retry', () => {
  expect(summarize({ record: base, work, timeline: [] }).attempts).toBe(0);
  expect(summarize({ record: { ...base, ...fetched }, work, timeline: [] }).attempts).toBe(1);
  expect(summarize({ record: { ...base, ...fetched, result: failure('TRANSPORT_ERROR', 'gave up') }, work, timeline: [retryEntry] }).attempts).toBe(2);
});

test('an unfinished event shows its last problem, or what it is waiting for', () => {
  expect(summarize({ record: { ...base, ...fetched }, work: { ...work, lastError: 'Webex answered 503' }, timeline: [] }).result).toBe('not yet; last problem: Webex answered 503');
  expect(summarize({ record: { ...base, ...fetched }, work: { ...work, waitingFor: 'Webex is provisioning the customer' }, timeline: [] }).result).toBe(
    'not yet; Webex is provisioning the customer',
  );
});

test('tracking IDs are collected once each from results, errors and the timeline', () => {
  const record = { ...base, ...fetched, result: failure('INVALID_OPERATION', 'refused (Webex tracking ID ABC_1)') };
  expect(summarize({ record, work, timeline: [retryEntry] }).trackingIds).toEqual(['ABC_1']);
  expect(trackingIdsIn(['x (tracking ID ROUTER_62F0:abc-1.2)', undefined, 'nothing'])).toEqual(['ROUTER_62F0:abc-1.2']);
});

test('only a finished failure can be retried', () => {
  expect(retryBlocker({ ...base, ...fetched })).toBe('it is still being worked on');
  expect(retryBlocker({ ...base, ...fetched, delivery: 'pending', result: failure('NOT_FOUND', 'x') })).toBe('its result is still being POSTed to AppDirect');
  expect(retryBlocker({ ...base, ...fetched, result: success() })).toBe('it did not fail');
  expect(retryBlocker({ ...base, ...fetched, result: success(), delivery: 'rejected' })).toMatch(/only AppDirect refused the result/);
  expect(retryBlocker({ ...base, ...fetched, result: failure('NOT_FOUND', 'x') })).toBeUndefined();
});
