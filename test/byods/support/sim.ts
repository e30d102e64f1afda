import { createDataSourcesSim, type DataSourcesSim, type SimServiceApp } from '../../../sim/webex/dataSources';
import { startWebexSim, type WebexSim } from '../../../sim/webex';

export const SIM_TOKEN = 'sim-byods-service-app-token';
export const SERVICE_APP: SimServiceApp = { appId: 'sim-app-1', clientId: 'sim-client-id', clientSecret: 'sim-client-secret' };

export interface ByodsSim extends WebexSim {
  /** The bearer token the sim accepts (and hands out from the application token endpoint). */
  token: string;
  byods: DataSourcesSim;
}

/** The project's Webex simulator on loopback, with the BYODS routes mounted through its `extraRoutes`. */
export async function startByodsSim(): Promise<ByodsSim> {
  const byods = createDataSourcesSim({ serviceApps: [SERVICE_APP] });
  const sim = await startWebexSim({ token: SIM_TOKEN }, [byods.routes]);
  return Object.assign(sim, { token: SIM_TOKEN, byods });
}
