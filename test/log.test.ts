import { capturingLogger } from './support/logCapture';
import { withLogContext } from '../src/log';

describe('log lines inside a log context', () => {
  test('carry the context, and a field logged on one line does not appear on the next', () => {
    const { logger, lines } = capturingLogger();
    withLogContext({ eventToken: 'tok-1' }, () => {
      logger.info({ status: 200, method: 'GET' }, 'AppDirect request');
      logger.warn({ err: 'Webex answered 401' }, 'event failed');
    });
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first).toMatchObject({ eventToken: 'tok-1', status: 200, method: 'GET', msg: 'AppDirect request' });
    expect(second).toMatchObject({ eventToken: 'tok-1', err: 'Webex answered 401', msg: 'event failed' });
    expect(second).not.toHaveProperty('status');
    expect(second).not.toHaveProperty('method');
  });

  test('a nested context adds its fields for its own lines only', () => {
    const { logger, lines } = capturingLogger();
    withLogContext({ eventToken: 'tok-2' }, () => {
      withLogContext({ job: 'event:tok-2' }, () => logger.info('inner'));
      logger.info('outer');
    });
    const [inner, outer] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inner).toMatchObject({ eventToken: 'tok-2', job: 'event:tok-2' });
    expect(outer).toMatchObject({ eventToken: 'tok-2' });
    expect(outer).not.toHaveProperty('job');
  });
});
