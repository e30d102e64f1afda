import { appDirectResultSchema, failure, success } from '../../src/appdirect/results';

describe('AppDirect results', () => {
  it('builds successes without empty fields', () => {
    expect(success()).toEqual({ success: true });
    expect(JSON.stringify(success({ accountIdentifier: 'acct-1', message: undefined }))).toBe('{"success":true,"accountIdentifier":"acct-1"}');
  });

  it('builds failures with a code and a message', () => {
    expect(failure('USER_NOT_FOUND', 'no such user')).toEqual({ success: false, errorCode: 'USER_NOT_FOUND', message: 'no such user' });
  });

  it('validates what AppDirect would accept', () => {
    expect(appDirectResultSchema.safeParse(success({ accountIdentifier: 'a', userIdentifier: 'u', message: 'ok' })).success).toBe(true);
    expect(appDirectResultSchema.safeParse(failure('PENDING', 'later')).success).toBe(true);
    expect(appDirectResultSchema.safeParse({ success: false, errorCode: 'UNKNOWN ERROR', message: 'x' }).success).toBe(false);
    expect(appDirectResultSchema.safeParse({ success: false, errorCode: 'UNKNOWN_ERROR' }).success).toBe(false);
    expect(appDirectResultSchema.safeParse({ success: 'true' }).success).toBe(false);
  });
});
