import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDataSourcesSim, type DataSourcesSim, type SimServiceApp } from '../../../src/sim/webex/dataSources';
import { createSimContext, createWebexSimApp, type FaultInjector, type RecordedCall } from '../../../src/sim/webex';

export const SIM_TOKEN = 'sim-byods-service-app-token';
export const SERVICE_APP: SimServiceApp = { appId: 'sim-app-1', clientId: 'sim-client-id', clientSecret: 'sim-client-secret' };

export interface ByodsSim {
  /** Base URL including /v1. */
  url: string;
  /** The bearer token the sim accepts (and hands out from the application token endpoint). */
  token: string;
  calls: RecordedCall[];
  faults: FaultInjector;
  byods: DataSourcesSim;
  close(): Promise<void>;
}

/**
 * The colleague's Webex simulator app with the BYODS routes mounted through its extension point
 * (`createWebexSimApp(ctx, extraRoutes)`), listening on loopback.
 */
export async function startByodsSim(): Promise<ByodsSim> {
  const ctx = createSimContext({ token: SIM_TOKEN });
  const byods = createDataSourcesSim({ serviceApps: [SERVICE_APP] });
  const server = createServer(createWebexSimApp(ctx, [byods.routes]));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    token: SIM_TOKEN,
    calls: ctx.calls,
    faults: ctx.faults,
    byods,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
