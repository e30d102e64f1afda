import type { Router } from 'express';
import type { SimContext } from './context';
import { customerRoutes } from './customers';
import { locationRoutes } from './locations';
import { peopleRoutes } from './people';
import { subscriberRoutes } from './subscribers';

/** A group of endpoints: gets the shared context, returns a router mounted under `/v1` behind auth and faults. */
export type SimRouteModule = (ctx: SimContext) => Router;

/** Every endpoint group the simulator serves. A new API area is one more entry here. */
export const WEBEX_SIM_ROUTES: readonly SimRouteModule[] = [customerRoutes, subscriberRoutes, peopleRoutes, locationRoutes];
