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

/** One HTTP layer for every API area; `getToken` (and `refreshToken`) come from the token source. */
export function createWebexClient(opts: { baseUrl: string; logger: Logger; getToken: WebexHttpOptions['getToken'] } & Partial<WebexHttpOptions>): WebexClient {
  const http = new WebexHttp(opts);
  return { http, wholesale: new WholesaleApi(http), calling: new CallingApi(http), people: new PeopleApi(http) };
}
