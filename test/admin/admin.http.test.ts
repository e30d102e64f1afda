import axios, { AxiosResponse } from 'axios';
import { randomUUID } from 'node:crypto';
import { assignEvent, orderEvent } from '../../sim/appdirect/events';
import { assertNoSecrets, eventually, Harness, startHarness } from '../support/harness';
import { ADMIN_TOKEN, customerCreations, notifyAndSettle, OPERATOR_ENV, orderFailingAtSubscriber } from './scenarios';

const MARKUP_NAME = '<img src=x onerror=alert(1)> & "Bold" Co';

describe('the operator page over HTTP', () => {
  let h: Harness;
  let session: string;
  let csrf: string;
  /** The hidden CSRF field of the session's pages. */
  const csrfTokenOf = async (cookie: string) => /name="_csrf" value="([\w-]+)"/.exec((await request('GET', '/admin', { cookie })).data)?.[1] ?? 'none on the page';
  const signIn = async () => (await request('POST', '/admin/login', { form: { token: ADMIN_TOKEN } })).headers['set-cookie']![0].split(';')[0];
  beforeAll(async () => {
    h = await startHarness({ env: OPERATOR_ENV, failureThrottle: { baseDelayMs: 10, maxDelayMs: 50 } });
  });
  afterAll(async () => {
    assertNoSecrets(h.logs);
    expect(h.logs.filter((line) => line.includes(ADMIN_TOKEN))).toEqual([]);
    await h.close();
  });

  const request = (method: 'GET' | 'POST', path: string, opts: { cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<AxiosResponse<string>> =>
    axios.request({
      method,
      url: `${h.connector.url}${path}`,
      data: opts.form ? new URLSearchParams(opts.form).toString() : undefined,
      headers: { ...(opts.cookie ? { Cookie: opts.cookie } : {}), ...(opts.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}), ...opts.headers },
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
    expect((await request('GET', '/admin/events/whatever', { cookie: `connector_admin=${'A'.repeat(43)}` })).status).toBe(303);
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
    session = cookie.split(';')[0];
    csrf = await csrfTokenOf(session);
    expect(cookie).toMatch(/^connector_admin=[\w-]{43}; Max-Age=\d+; Path=\/admin; Expires=.*; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
  });

  test('pages escape event data, forbid scripts and are not cached', async () => {
    const record = await notifyAndSettle(h, { type: 'ADDON_ORDER', creator: null, payload: { company: { uuid: 'c-1', name: MARKUP_NAME } } });
    const list = await request('GET', '/admin', { cookie: session });
    expect(list.status).toBe(200);
    expect(list.data).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Bold&quot; Co');
    expect(list.data).not.toContain('<img');
    expect(list.headers['content-security-policy']).toContain("default-src 'none'");
    expect(list.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(list.headers['referrer-policy']).toBe('same-origin');
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

    const retry = await request('POST', `/admin/events/${token}/retry`, { cookie: session, form: { _csrf: csrf } });
    expect(retry.status).toBe(303);
    expect(retry.headers.location).toBe(`/admin/events/${token}?retry=queued-warned`);

    await eventually(async () => expect(h.appDirect.results.filter((r) => r.token === token).at(-1)?.body).toMatchObject({ success: true, accountIdentifier: companyUuid }), 15_000);
    expect(customerCreations(h, companyUuid)).toBe(1);
    const after = await request('GET', `/admin/events/${token}?retry=queued-warned`, { cookie: session });
    expect(after.data).toContain('state-resolved');
    expect(after.data).toContain('retry requested from the operator page');
    expect(after.data).toContain('Retry queued. AppDirect already had');

    const again = await request('POST', `/admin/events/${token}/retry`, { cookie: session, form: { _csrf: csrf } });
    expect(again.headers.location).toBe(`/admin/events/${token}?retry=refused`);
  });

  test('when AppDirect refuses the retried result, the event says so and is not offered for retry again', async () => {
    const { token } = await orderFailingAtSubscriber(h, 'Refused Co');
    h.appDirect.faults.result({ status: 400, times: 1 });
    await request('POST', `/admin/events/${token}/retry`, { cookie: session, form: { _csrf: csrf } });
    await eventually(async () => expect((await h.connector.store.journal.get(token))?.delivery).toBe('rejected'), 15_000);
    const page = await request('GET', `/admin/events/${token}`, { cookie: session });
    expect(page.data).toContain('state-failed');
    expect(page.data).toContain('AppDirect refused it');
    expect(page.data).toContain('only AppDirect refused the result');
    expect(page.data).not.toContain('Retry this event');
  });

  test('users waiting for their consent are listed with a button that has Webex send the invitation again', async () => {
    const email = `free.${randomUUID().slice(0, 8)}@buyer.example.com`;
    const companyUuid = randomUUID();
    await notifyAndSettle(h, orderEvent({ companyUuid, companyName: MARKUP_NAME, email: `${randomUUID().slice(0, 8)}@buyer.example.com`, firstName: 'C', lastName: 'C', editionCode: 'BASIC' }));
    h.webex.control.existingWebexAccount(email);
    await notifyAndSettle(h, assignEvent({ accountIdentifier: companyUuid, user: { email, firstName: 'Free', lastName: 'User' } }));

    const list = await request('GET', '/admin', { cookie: session });
    expect(list.data).toContain('Waiting for their consent');
    expect(list.data).toContain(`<form method="post" action="/admin/invitations/${encodeURIComponent(email)}/resend"><input type="hidden" name="_csrf"`);
    expect(list.data).not.toContain('<img');

    expect((await request('POST', `/admin/invitations/${encodeURIComponent(email)}/resend`)).status).toBe(401);
    expect((await request('POST', `/admin/invitations/${encodeURIComponent(email)}/resend`, { cookie: session })).status).toBe(403); // no CSRF token
    const resend = await request('POST', `/admin/invitations/${encodeURIComponent(email)}/resend`, { cookie: session, form: { _csrf: csrf } });
    expect(resend.status).toBe(303);
    expect(resend.headers.location).toBe('/admin?resend=queued');
    await eventually(() => expect(h.webex.control.invitationsSent(email)).toHaveLength(2), 15_000);
    const unknown = await request('POST', '/admin/invitations/nobody%40example.com/resend', { cookie: session, form: { _csrf: csrf } });
    expect(unknown.headers.location).toBe('/admin?resend=unknown');
    expect((await request('GET', '/admin?resend=unknown', { cookie: session })).data).toContain('Nobody with that e-mail is waiting');
  });

  test('a query parameter cannot put text on the page', async () => {
    const { token } = (await h.connector.store.journal.recent(1))[0];
    const page = await request('GET', `/admin/events/${token}?retry=toString`, { cookie: session });
    expect(page.status).toBe(200);
    expect(page.data).not.toContain('role="status"');
  });

  test('a state-changing request needs the session\'s CSRF token and must come from this page', async () => {
    const { token } = await orderFailingAtSubscriber(h, 'Forged Co');
    const retry = (opts: { form?: Record<string, string>; headers?: Record<string, string> }) => request('POST', `/admin/events/${token}/retry`, { cookie: session, ...opts });
    const refusals: Array<[string, AxiosResponse<string>]> = [
      ['no CSRF token', await retry({ form: {} })],
      ['a wrong CSRF token', await retry({ form: { _csrf: 'x'.repeat(43) } })],
      ['another session\'s token', await retry({ form: { _csrf: await csrfTokenOf(await signIn()) } })],
      ['a sibling subdomain (same site, other origin)', await retry({ form: { _csrf: csrf }, headers: { 'Sec-Fetch-Site': 'same-site', Origin: 'https://evil.example.com' } })],
      ['another site', await retry({ form: { _csrf: csrf }, headers: { 'Sec-Fetch-Site': 'cross-site' } })],
      ['a foreign Origin alone', await retry({ form: { _csrf: csrf }, headers: { Origin: 'http://127.0.0.1:1' } })],
      ['an opaque Origin', await retry({ form: { _csrf: csrf }, headers: { Origin: 'null' } })],
    ];
    for (const [why, res] of refusals) {
      expect([why, res.status]).toEqual([why, 403]);
      expect(res.data).toContain('did not come from this operator page');
    }
    expect((await h.connector.store.journal.timeline(token)).map((t) => t.kind)).not.toContain('operator');

    const sameOrigin = await retry({ form: { _csrf: csrf }, headers: { 'Sec-Fetch-Site': 'same-origin', Origin: h.connector.url } });
    expect(sameOrigin.status).toBe(303);
    expect(sameOrigin.headers.location).toBe(`/admin/events/${token}?retry=queued-warned`);
  });

  test('the reconciliation page says how to run one when none is scheduled; "Reconcile now" is not offered, and refused', async () => {
    expect((await request('GET', '/admin/reconciliation')).status).toBe(303);
    const shown = await request('GET', '/admin/reconciliation', { cookie: session });
    expect(shown.status).toBe(200);
    expect(shown.data).toContain('No schedule (<code>RECONCILE_EVERY_MINUTES</code> is not set)');
    expect(shown.data).toContain('No reconciliation has run yet.');
    expect(shown.data).not.toContain('Reconcile now');
    expect((await request('POST', '/admin/reconciliation/run', { cookie: session, form: {} })).status).toBe(403);
    expect((await request('POST', '/admin/reconciliation/run', { cookie: session, form: { _csrf: csrf } })).status).toBe(404);
    expect((await request('GET', '/admin/reconciliation?run=<b>hi</b>', { cookie: session })).data).not.toContain('<b>hi');
  });

  test('signing out revokes the session on the server: the old cookie no longer opens anything', async () => {
    const other = await signIn();
    const otherCsrf = await csrfTokenOf(other);
    expect((await request('GET', '/admin', { cookie: other })).status).toBe(200);
    const out = await request('POST', '/admin/logout', { cookie: other, form: { _csrf: otherCsrf } });
    expect(out.status).toBe(303);
    expect(out.headers['set-cookie']![0]).toMatch(/^connector_admin=;/);
    expect((await request('GET', '/admin', { cookie: other })).status).toBe(303);
    expect((await request('POST', `/admin/events/whatever/retry`, { cookie: other, form: { _csrf: otherCsrf } })).status).toBe(401);
    // Only that session ended.
    expect((await request('GET', '/admin', { cookie: session })).status).toBe(200);
  });

  test('wrong tokens are slowed down and logged, never a lockout: the right token still signs in', async () => {
    for (let i = 0; i < 10; i++) expect((await request('POST', '/admin/login', { form: { token: `wrong-${i}` } })).status).toBe(401);
    const right = await request('POST', '/admin/login', { form: { token: ADMIN_TOKEN } });
    expect(right.status).toBe(303);
    expect(right.headers['set-cookie']![0]).toMatch(/^connector_admin=[\w-]{43};/);
    expect(h.logs.filter((line) => line.includes('operator page: sign-in refused')).length).toBeGreaterThanOrEqual(10);
    expect(h.logs.filter((line) => line.includes('wrong-'))).toEqual([]);
  });
});
