import { createDataSourcesSim, type DataSourcesSim, type SimServiceApp } from '../../../sim/webex/dataSources';
import { SIM_JWKS_PATH, startWebexSim, type WebexSim, type WebexSimOptions } from '../../../sim/webex';

export const SIM_TOKEN = 'sim-byods-service-app-token';
export const SERVICE_APP: SimServiceApp = { appId: 'sim-app-1', clientId: 'sim-client-id', clientSecret: 'sim-client-secret' };

export interface ByodsSim extends WebexSim {
  /** The static bearer token the sim accepts beside the tokens its OAuth endpoints issue. */
  token: string;
  byods: DataSourcesSim;
  /** Where the sim serves the public key set of its data-source tokens. */
  jwksUrl: string;
}

/** The project's Webex simulator on loopback, with the BYODS routes and the key set mounted. */
export async function startByodsSim(opts: WebexSimOptions = {}): Promise<ByodsSim> {
  const byods = createDataSourcesSim({ serviceApps: [SERVICE_APP] });
  const sim = await startWebexSim({ token: SIM_TOKEN, ...opts }, [byods.routes], [byods.keyRoutes]);
  return Object.assign(sim, { token: SIM_TOKEN, byods, jwksUrl: `${new URL(sim.url).origin}${SIM_JWKS_PATH}` });
}
