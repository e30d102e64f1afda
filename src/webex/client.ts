import type { Logger } from '../log';
import { CallingApi } from './calling';
import { WebexHttp, WebexHttpOptions } from './http';
import { PeopleApi } from './people';
import { WholesaleApi } from './wholesale';

export interface WebexClient {
  http: WebexHttp;
  wholesale: WholesaleApi;
  calling: CallingApi;
  people: PeopleApi;
}

export function createWebexClient(opts: { baseUrl: string; token: string; logger: Logger } & Partial<WebexHttpOptions>): WebexClient {
  const http = new WebexHttp({ getToken: () => opts.token, ...opts });
  return { http, wholesale: new WholesaleApi(http), calling: new CallingApi(http), people: new PeopleApi(http) };
}
