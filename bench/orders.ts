import { randomUUID } from 'node:crypto';
import type { AppDirectSim } from '../sim/appdirect';
import { orderEvent } from '../sim/appdirect/events';

export interface PlannedOrder {
  token: string;
  eventUrl: string;
  companyUuid: string;
  email: string;
}

/**
 * Registers `orders` SUBSCRIPTION_ORDER events with the AppDirect simulator, each with its own token and
 * buyer, spread over `companies` companies in turn (company 1, 2, … n, 1, 2, …): the first n are
 * first orders of new companies, every later one an order of a company that exists by then.
 */
export function planOrders(appDirect: AppDirectSim, orders: number, companies: number, editionCode = 'MEETINGS'): PlannedOrder[] {
  const companyUuids = Array.from({ length: companies }, () => randomUUID());
  return Array.from({ length: orders }, (_, i) => {
    const company = i % companies;
    const companyUuid = companyUuids[company]!;
    const email = `buyer${i}@company${company}.example.com`;
    const event = orderEvent({ companyUuid, companyName: `Company ${company}`, email, firstName: 'Buyer', lastName: String(i), editionCode });
    const { token, eventUrl } = appDirect.addEvent(event);
    return { token, eventUrl, companyUuid, email };
  });
}
