import axios, { type AxiosInstance } from 'axios';
import { startWebexSim, type WebexSim, type WebexSimOptions } from '../../../sim/webex';

/** An axios client for the sim that never throws on HTTP status, so tests assert on status and body. */
export function simClient(sim: WebexSim, token = 'sim-webex-token'): AxiosInstance {
  return axios.create({ baseURL: sim.url, headers: { Authorization: `Bearer ${token}` }, validateStatus: () => true });
}

/** Fast timings so lifecycle tests run in milliseconds. */
export async function startFastSim(opts: WebexSimOptions = {}): Promise<{ sim: WebexSim; api: AxiosInstance }> {
  const sim = await startWebexSim({ customerProvisioningMs: 30, subscriberProvisioningMs: 20, ...opts });
  return { sim, api: simClient(sim) };
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function customerBody(externalId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    provisioningId: 'prov-1',
    packages: ['webex_calling', 'webex_meetings'],
    externalId,
    address: { addressLine1: '771 Alder Drive', city: 'Milpitas', stateOrProvince: 'CA', zipOrPostalCode: '95035', country: 'US' },
    customerInfo: { name: `Customer ${externalId}`, primaryEmail: `admin-${externalId}@example.com` },
    ...overrides,
  };
}

export interface ProvisionedCustomer {
  id: string;
  orgId: string;
  locationId: string;
}

/** Creates a customer, waits until it is provisioned and returns its ids and its calling location. */
export async function provisionCustomer(api: AxiosInstance, externalId: string, overrides: Record<string, unknown> = {}): Promise<ProvisionedCustomer> {
  const created = await api.post('/wholesale/customers', customerBody(externalId, overrides));
  if (created.status !== 202) throw new Error(`customer create failed: ${created.status} ${JSON.stringify(created.data)}`);
  const id = String(created.headers.location).split('/').pop() as string;
  const orgId = await waitFor(async () => {
    const { data } = await api.get(`/wholesale/customers/${id}`);
    return data.status === 'provisioned' ? (data.orgId as string) : undefined;
  });
  const { data } = await api.get('/locations', { params: { orgId } });
  return { id, orgId, locationId: data.items[0].id };
}

export function callingSubscriber(customer: ProvisionedCustomer, email: string, extension: string): Record<string, unknown> {
  return {
    customerId: customer.id,
    email,
    packages: ['webex_calling'],
    provisioningParameters: { firstName: 'Ada', lastName: 'Lovelace', extension, locationId: customer.locationId },
  };
}
