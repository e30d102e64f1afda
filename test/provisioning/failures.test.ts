import { AppDirectError } from '../../src/appdirect/client';
import { ProvisioningError } from '../../src/provisioning/errors';
import { exhausted, judge } from '../../src/provisioning/failures';
import { WebexApiError, WebexResponseShapeError } from '../../src/webex/errors';

const webexError = (status: number | undefined, transient: boolean) =>
  new WebexApiError(`Webex GET /x answered ${status}`, { method: 'GET', path: '/x', status, transient, trackingId: 'TRACK_1', webexMessage: 'nope' });

describe('judge: every failure becomes one AppDirect answer, in one place', () => {
  test('a business failure keeps its code and gains the tracking ID', () => {
    expect(judge(new ProvisioningError('INVALID_OPERATION', 'Webex refused: bad address', 'TRACK_9'))).toEqual({
      transient: false,
      message: 'Webex refused: bad address (Webex tracking ID TRACK_9)',
      result: { success: false, errorCode: 'INVALID_OPERATION', message: 'Webex refused: bad address (Webex tracking ID TRACK_9)' },
    });
  });

  test.each([
    [429, true, undefined],
    [503, true, undefined],
    [undefined, true, undefined],
    [401, false, 'CONFIGURATION_ERROR'],
    [404, false, 'NOT_FOUND'],
    [400, false, 'UNKNOWN_ERROR'],
  ])('Webex %s → transient %s, code %s', (status, transient, code) => {
    const verdict = judge(webexError(status, transient));
    expect(verdict.transient).toBe(transient);
    if (!verdict.transient) expect(verdict.result).toMatchObject({ success: false, errorCode: code });
  });

  test('AppDirect failures: transient retried, a missing event NOT_FOUND, garbage INVALID_RESPONSE', () => {
    expect(judge(new AppDirectError('transient', 'fetching the event failed: HTTP 503', { status: 503, retryAfterMs: 2000 }))).toMatchObject({ transient: true, retryAfterMs: 2000 });
    expect(judge(new AppDirectError('not_found', 'fetching the event failed: HTTP 404', { status: 404 }))).toMatchObject({ result: { errorCode: 'NOT_FOUND' } });
    expect(judge(new AppDirectError('invalid_response', 'not JSON', { status: 200 }))).toMatchObject({ result: { errorCode: 'INVALID_RESPONSE' } });
  });

  test('a Webex answer of the wrong shape is INVALID_RESPONSE', () => {
    expect(judge(new WebexResponseShapeError('GET', '/x', 'items: required', 'T'))).toMatchObject({ result: { errorCode: 'INVALID_RESPONSE' } });
  });

  test('anything unexpected is UNKNOWN_ERROR without a stack trace', () => {
    const verdict = judge(new TypeError('x is undefined'));
    expect(verdict).toMatchObject({ transient: false, result: { errorCode: 'UNKNOWN_ERROR' } });
    expect(JSON.stringify(verdict)).not.toMatch(/\s+at /);
  });

  test('retries that ran out become TRANSPORT_ERROR', () => {
    expect(exhausted('Webex timed out', 12)).toEqual({ success: false, errorCode: 'TRANSPORT_ERROR', message: 'Gave up after 12 attempts: Webex timed out' });
  });
});
