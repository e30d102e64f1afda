import { basicAuthorization } from '../src/appdirect/authorizationHeader';
import { AppDirectSim, startAppDirectSim } from './appdirect';
import { startWebexSim, WebexSim, WebexSimOptions } from './webex';

/** Made-up credentials shared by the simulators and a connector run against them; nothing here leaves loopback. */
const CREDENTIALS = {
  webexToken: 'sim-webex-token',
  notificationUser: 'sim-appdirect',
  notificationPassword: 'sim-appdirect-password-for-loopback-only',
  clientId: 'sim-connector',
  clientSecret: 'sim-connector-secret',
};

export interface Simulators {
  webex: WebexSim;
  appDirect: AppDirectSim;
  /** A complete connector environment pointing at both simulators (the demo and the benchmarks add to it). */
  env: Record<string, string>;
  /** What the simulated AppDirect sends in `Authorization` with each notification. */
  notificationAuthorization: string;
  close(): Promise<void>;
}

/** Both simulators on loopback, and the connector settings that point at them. */
export async function startSimulators(webexOptions: WebexSimOptions = {}): Promise<Simulators> {
  const webex = await startWebexSim({ ...webexOptions, token: CREDENTIALS.webexToken });
  const appDirect = await startAppDirectSim({
    inbound: { clientId: CREDENTIALS.clientId, clientSecret: CREDENTIALS.clientSecret },
    outbound: { mode: 'basic', username: CREDENTIALS.notificationUser, password: CREDENTIALS.notificationPassword },
  });
  return {
    webex,
    appDirect,
    env: {
      BASE_URL_MARKETPLACE: appDirect.url,
      BASIC_USERNAME: CREDENTIALS.notificationUser,
      BASIC_PASSWORD: CREDENTIALS.notificationPassword,
      OAUTH_CLIENT_ID: CREDENTIALS.clientId,
      OAUTH_CLIENT_SECRET: CREDENTIALS.clientSecret,
      WEBEX_TOKEN: CREDENTIALS.webexToken,
      WEBEX_API_BASE_URL: webex.url,
      PROVISIONING_ID: 'sim-provisioning-id',
      CUSTOMER_PACKAGES: '["webex_calling","webex_meetings"]',
      EDITION_PACKAGES: '{"MEETINGS":"webex_meetings","CALLING":"webex_calling"}',
      ADDRESS: '771 Alder Drive',
      ZIP_CODE: '95035',
      CITY: 'Milpitas',
      STATE: 'CA',
      COUNTRY: 'US',
      TIMEZONE: 'America/Los_Angeles',
    },
    notificationAuthorization: basicAuthorization(CREDENTIALS.notificationUser, CREDENTIALS.notificationPassword),
    async close() {
      await Promise.all([webex.close(), appDirect.close()]);
    },
  };
}
