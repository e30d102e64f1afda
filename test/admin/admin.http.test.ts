import axios, { AxiosResponse } from 'axios';
import { assertNoSecrets, eventually, Harness, startHarness } from '../support/harness';
import { ADMIN_TOKEN, customerCreations, notifyAndSettle, OPERATOR_ENV, orderFailingAtSubscriber } from './scenarios';

const MARKUP_NAME = '<img src=x onerror=alert(1)> & "Bold" Co';

describe('the operator page over HTTP', () => {
  let h: Harness;
  let session: string;
  beforeAll(async () => {
    h = await startHarness({ env: OPERATOR_ENV });
  });
  afterAll(async () => {
    assertNoSecrets(h.logs);
    expect(h.logs.filter((line) => line.includes(ADMIN_TOKEN))).toEqual([]);
    await h.close();
  });

  const request = (method: 'GET' | 'POST', path: string, opts: { cookie?: string; form?: Record<string, string> } = {}): Promise<AxiosResponse<string>> =>
    axios.request({
      method,
      url: `${h.connector.url}${path}`,
      data: opts.form ? new URLSearchParams(opts.form).toString() : undefined,
      headers: { ...(opts.cookie ? { Cookie: opts.cookie } : {}), ...(opts.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (d) => d,
    });

  test('without a session every page sends you to sign in, and a POST is refused', async () => {
    const list = await request('GET', '/admin');
    expect(list.status).toBe(303);
    expect(list.headers.location).toBe('/admin/login');
    const refused = await request('POST', '/admin/events/whatever/retry');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Cookie realm="operator page", form-action="/admin/login", cookie-name="connector_admin"');
    expect((await request('GET', '/admin/events/whatever', { cookie: 'connector_admin=1.forged' })).status).toBe(303);
  });

  test('a wrong token is refused without being echoed; the right one sets a strict, HttpOnly cookie that is not the token', async () => {
    const wrong = await request('POST', '/admin/login', { form: { token: 'guess-<b>not-it</b>-1234' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toMatch(/^Cookie realm="operator page", form-action="\/admin\/login"/);
    expect(wrong.data).toContain('That token is not right.');
    expect(wrong.data).not.toContain('not-it');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const right = await request('POST', '/admin/login', { form: { token: ADMIN_TOKEN } });
    expect(right.status).toBe(303);
    const cookie = right.headers['set-cookie']![0];
    expect(cookie).toMatch(/^connector_admin=\d+\.[\w-]+; Max-Age=\d+; Path=\/admin; Expires=.*; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
    session = cookie.split(';')[0];
  });

  test('pages escape event data, forbid scripts and are not cached', async () => {
    const record = await notifyAndSettle(h, { type: 'ADDON_ORDER', creator: null, payload: { company: { uuid: 'c-1', name: MARKUP_NAME } } });
    const list = await request('GET', '/admin', { cookie: session });
    expect(list.status).toBe(200);
    expect(list.data).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Bold&quot; Co');
    expect(list.data).not.toContain('<img');
    expect(list.headers['content-security-policy']).toContain("default-src 'none'");
    expect(list.headers['cache-control']).toBe('no-store');
    const detail = await request('GET', `/admin/events/${record.token}`, { cookie: session });
    expect(detail.data).toContain('CONFIGURATION_ERROR');
    expect(detail.data).not.toContain('<img');
    expect((await request('GET', '/admin/events/no-such-token', { cookie: session })).status).toBe(404);
  });

  test('a retry re-queues a failed event with its checkpoint: Webex is not asked twice and the new result reaches AppDirect', async () => {
    const { token, companyUuid } = await orderFailingAtSubscriber(h);
    expect(customerCreations(h, companyUuid)).toBe(1);
    const before = await request('GET', `/admin/events/${token}`, { cookie: session });
    expect(before.data).toContain('TRANSPORT_ERROR');
    expect(before.data).toMatch(/tracking ID/);
    expect(before.data).toContain('AppDirect already has this failure');

    const retry = await request('POST', `/admin/events/${token}/retry`, { cookie: session });
    expect(retry.status).toBe(303);
    expect(retry.headers.location).toBe(`/admin/events/${token}?retry=queued-warned`);

    await eventually(async () => expect(h.appDirect.results.filter((r) => r.token === token).at(-1)?.body).toMatchObject({ success: true, accountIdentifier: companyUuid }), 15_000);
    expect(customerCreations(h, companyUuid)).toBe(1);
    const after = await request('GET', `/admin/events/${token}?retry=queued-warned`, { cookie: session });
    expect(after.data).toContain('state-resolved');
    expect(after.data).toContain('retry requested from the operator page');
    expect(after.data).toContain('Retry queued. AppDirect already had');

    const again = await request('POST', `/admin/events/${token}/retry`, { cookie: session });
    expect(again.headers.location).toBe(`/admin/events/${token}?retry=refused`);
  });

  test('when AppDirect refuses the retried result, the event says so and is not offered for retry again', async () => {
    const { token } = await orderFailingAtSubscriber(h, 'Refused Co');
    h.appDirect.faults.result({ status: 400, times: 1 });
    await request('POST', `/admin/events/${token}/retry`, { cookie: session });
    await eventually(async () => expect((await h.connector.store.get(token))?.delivery).toBe('rejected'), 15_000);
    const page = await request('GET', `/admin/events/${token}`, { cookie: session });
    expect(page.data).toContain('state-failed');
    expect(page.data).toContain('AppDirect refused it');
    expect(page.data).toContain('only AppDirect refused the result');
    expect(page.data).not.toContain('Retry this event');
  });

  test('a query parameter cannot put text on the page', async () => {
    const { token } = (await h.connector.store.recent(1))[0];
    const page = await request('GET', `/admin/events/${token}?retry=toString`, { cookie: session });
    expect(page.status).toBe(200);
    expect(page.data).not.toContain('role="status"');
  });

  test('ten wrong tokens lock the address out, even for the right token', async () => {
    for (let i = 0; i < 10; i++) expect((await request('POST', '/admin/login', { form: { token: `wrong-${i}` } })).status).toBe(401);
    const locked = await request('POST', '/admin/login', { form: { token: ADMIN_TOKEN } });
    expect(locked.status).toBe(429);
    expect(locked.data).toContain('Too many failed sign-ins');
    expect(locked.headers['set-cookie']).toBeUndefined();
  });
});
