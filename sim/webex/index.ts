export { startWebexSim, type WebexSim } from './server';
export type { Backstage } from './backstage';
export { createWebexSimApp } from './app';
export { createSimContext, DEFAULT_SIM_TOKEN, type SimContext, type SimSettings, type WebexSimOptions } from './context';
export { WEBEX_SIM_ROUTES, type SimRouteModule } from './routes';
export { FaultInjector, type FaultStatus, type QueuedFault, type RandomFaults } from './faults';
export type { RecordedCall } from './recording';
export { createSigningKey, SIM_JWKS_PATH, type SigningKey } from './signingKey';
export type { AccessTokenState, SimOAuth, SimOAuthClient, SimOAuthOptions, SimTokenAnswer } from './oauth';
export type {
  CustomerOutcome,
  CustomerStatus,
  SimCustomer,
  SimLocation,
  SimPerson,
  SimSubscriber,
  SubscriberStatus,
  WebexSimState,
} from './state';
// Shared helpers for route modules added later (e.g. dataSources.ts).
export { WebexHttpError, apiBaseUrl, sendWebexError } from './http';
export { parseBody } from './bodies';
export { queryList, queryString, sendPage } from './pagination';
