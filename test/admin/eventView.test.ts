import { failure, success } from '../../src/appdirect/results';
import { retryBlocker, summarize, trackingIdsIn } from '../../src/admin/eventView';
import type { EventRecord, TimelineEntry } from '../../src/store/types';

const base: EventRecord = { token: 't1', eventUrl: 'https://m.example/e/t1', phase: 'work', ack: null, delivery: 'none', attempts: 0, checkpoint: {}, runAt: 0, receivedAt: 0, updatedAt: 0, notifications: 1 };
const fetched = { type: 'SUBSCRIPTION_ORDER', event: { type: 'SUBSCRIPTION_ORDER', payload: { company: { name: 'Acme' } } } };
const retryEntry: TimelineEntry = { at: 1, kind: 'retry', detail: 'attempt 1 failed (Webex GET /x answered 503 (tracking ID ABC_1)); retrying in 20 ms' };

test.each<[string, Partial<EventRecord>, string]>([
  ['journaled, not read yet', {}, 'received'],
  ['read, being provisioned', fetched, 'waiting for Webex'],
  ['succeeded', { ...fetched, phase: 'idle', result: success() }, 'resolved'],
  ['failed', { ...fetched, phase: 'idle', result: failure('ACCOUNT_NOT_FOUND', 'no') }, 'failed'],
  ['succeeded but AppDirect refused the result', { ...fetched, phase: 'idle', result: success(), delivery: 'rejected' }, 'failed'],
])('%s → %s', (_name, patch, state) => {
  expect(summarize({ ...base, ...patch }, []).state).toBe(state);
});

test('attempts come from the timeline, since the record counts deliveries once a result exists', () => {
  expect(summarize(base, []).attempts).toBe(0);
  expect(summarize({ ...base, ...fetched }, []).attempts).toBe(1);
  expect(summarize({ ...base, ...fetched, phase: 'idle', attempts: 0, result: failure('TRANSPORT_ERROR', 'gave up') }, [retryEntry]).attempts).toBe(2);
});

test('tracking IDs are collected once each from results, errors and the timeline', () => {
  const record = { ...base, ...fetched, phase: 'idle' as const, result: failure('INVALID_OPERATION', 'refused (Webex tracking ID ABC_1)') };
  expect(summarize(record, [retryEntry]).trackingIds).toEqual(['ABC_1']);
  expect(trackingIdsIn(['x (tracking ID ROUTER_62F0:abc-1.2)', undefined, 'nothing'])).toEqual(['ROUTER_62F0:abc-1.2']);
});

test('only a finished failure can be retried', () => {
  expect(retryBlocker({ ...base, ...fetched })).toBe('it is still being worked on');
  expect(retryBlocker({ ...base, ...fetched, phase: 'deliver', result: failure('NOT_FOUND', 'x') })).toBe('its result is still being POSTed to AppDirect');
  expect(retryBlocker({ ...base, ...fetched, phase: 'idle', result: success() })).toBe('it did not fail');
  expect(retryBlocker({ ...base, ...fetched, phase: 'idle', result: success(), delivery: 'rejected' })).toMatch(/only AppDirect refused the result/);
  expect(retryBlocker({ ...base, ...fetched, phase: 'idle', result: failure('NOT_FOUND', 'x') })).toBeUndefined();
});
