import axios from 'axios';
import { basicAuthorization } from '../../src/appdirect/authorizationHeader';
import { oauth1Authorization } from '../../src/appdirect/oauth1';

/** How the simulator proves to the connector that a notification comes from "AppDirect" (the product's outbound credentials). */
export type SimOutboundAuth =
  | { mode: 'basic'; username: string; password: string }
  | { mode: 'oauth1'; consumerKey: string; consumerSecret: string }
  | { mode: 'oauth2'; clientId: string; clientSecret: string };

export interface NotifyOptions {
  eventType?: string;
  method?: 'GET' | 'POST';
  /** raw Authorization header to send instead of the configured one, or null for none */
  authOverride?: string | null;
  eventUrlOverride?: string;
}

/** Where the product's integration settings send notifications, relative to the connector's base URL. */
export const NOTIFICATION_PATH = '/subscription_receiver';

type RecordStep = (kind: 'notify' | 'notify-answer' | 'token', token: string | undefined, detail: string) => void;

// Renew the connector-issued token a little early, as a client should.
const TOKEN_RENEWAL_MARGIN_MS = 5_000;

export function createNotifier(outbound: SimOutboundAuth, record: RecordStep) {
  const http = axios.create({ validateStatus: () => true, maxRedirects: 0, responseType: 'text', transformResponse: (data: unknown) => data });
  const bearerByConnector = new Map<string, { token: string; renewAtMs: number }>();

  async function connectorBearer(connectorBaseUrl: string, clientId: string, clientSecret: string): Promise<string> {
    const cached = bearerByConnector.get(connectorBaseUrl);
    if (cached && Date.now() < cached.renewAtMs) return cached.token;
    const response = await http.post<string>(
      `${connectorBaseUrl}/oauth2/token`,
      new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      { headers: { Authorization: basicAuthorization(clientId, clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' } },
    );
    record('token', undefined, `asked the connector for a notification token: HTTP ${response.status}`);
    if (response.status !== 200) throw new Error(`the connector refused a notification token: HTTP ${response.status}`);
    const answer = JSON.parse(response.data) as { access_token: string; expires_in: number };
    bearerByConnector.set(connectorBaseUrl, { token: answer.access_token, renewAtMs: Date.now() + answer.expires_in * 1000 - TOKEN_RENEWAL_MARGIN_MS });
    return answer.access_token;
  }

  async function authorizationFor(method: string, url: string, connectorBaseUrl: string): Promise<string> {
    switch (outbound.mode) {
      case 'basic':
        return basicAuthorization(outbound.username, outbound.password);
      case 'oauth1':
        return oauth1Authorization(outbound, method, url);
      case 'oauth2':
        return `Bearer ${await connectorBearer(connectorBaseUrl, outbound.clientId, outbound.clientSecret)}`;
    }
  }

  return async function notify(connectorBaseUrl: string, token: string, eventUrl: string, opts: NotifyOptions = {}) {
    const base = connectorBaseUrl.replace(/\/+$/, '');
    const query = new URLSearchParams({ eventUrl: opts.eventUrlOverride ?? eventUrl });
    if (opts.eventType !== undefined) query.set('eventType', opts.eventType);
    const url = `${base}${NOTIFICATION_PATH}?${query.toString()}`;
    const method = opts.method ?? 'GET';
    const authorization = opts.authOverride === undefined ? await authorizationFor(method, url, base) : opts.authOverride;

    record('notify', token, `${method} ${NOTIFICATION_PATH} (${opts.authOverride === undefined ? `${outbound.mode} auth` : 'auth overridden'})`);
    const response = await http.request<string>({ method, url, headers: authorization === null ? {} : { Authorization: authorization } });
    const body = parseMaybeJson(response.data);
    record('notify-answer', token, `HTTP ${response.status} ${String(response.data).slice(0, 200)}`);
    return { status: response.status, body };
  };
}

function parseMaybeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
