import { z } from 'zod';
import type { WebexHttp, WebexResponse } from './http';
import { customer, Customer, precheck, resourceUrl, subscriber, Subscriber, WholesaleAddress } from './schemas';

export interface NewCustomer {
  provisioningId: string;
  packages: string[];
  externalId: string;
  address: WholesaleAddress & { addressLine1: string; city: string; country: string };
  customerInfo: { name: string; primaryEmail: string; language?: string };
  provisioningParameters?: {
    calling?: { location: { name: string; address: WholesaleAddress; timezone: string; language: string; emergencyLocationIdentifier?: string; numbers?: string[]; mainNumber?: string } };
    meetings?: { timezone: string };
  };
}

export interface SubscriberParameters {
  firstName?: string;
  lastName?: string;
  primaryPhoneNumber?: string;
  extension?: string;
  locationId?: string;
}

export interface NewSubscriber {
  customerId: string;
  email: string;
  /**
   * The subscriber's complete package list: one base package, and add-on packages such as attendant_console that
   * depend on it. The singular `package` field is deprecated and never sent.
   */
  packages: string[];
  provisioningParameters: SubscriberParameters;
}

export interface SubscriberUpdate {
  packages: string[];
  provisioningParameters?: SubscriberParameters;
}

const customerList = z.object({ items: z.array(customer) }).passthrough();

/** The largest page the list endpoints give (spec: "up to 100 per page"): the fewest calls for a whole list. */
export const LIST_PAGE_SIZE = 100;

/** Webex Wholesale customers and subscribers (webex-wholesale.json). */
export class WholesaleApi {
  constructor(private readonly http: WebexHttp) {}

  async findCustomerByExternalId(externalId: string): Promise<Customer | undefined> {
    const { data } = await this.http.request('GET', '/wholesale/customers', { query: { externalId }, schema: customerList });
    return data.items.find((c) => c.externalId === externalId);
  }

  /** Every customer of the partner, a page of 100 at a time: what a reconciliation compares its memory with. */
  async listCustomers(): Promise<Customer[]> {
    return this.http.listAll('/wholesale/customers', { max: LIST_PAGE_SIZE }, customer);
  }

  async getCustomer(customerId: string): Promise<Customer> {
    return (await this.http.request('GET', `/wholesale/customers/${encodeURIComponent(customerId)}`, { schema: customer })).data;
  }

  /** Prechecks the customer that `createCustomer(body)` would create. */
  async precheckCustomer(body: NewCustomer): Promise<void> {
    // The precheck's customerInfo has no language field, unlike the create body.
    const { language: _language, ...customerInfo } = body.customerInfo;
    await this.http.request('POST', '/wholesale/customers/validate', { body: { ...body, customerInfo }, schema: precheck, retrySafe: true });
  }

  /** Starts provisioning; Webex answers 202 and works for minutes. Returns the new customer's ID. */
  async createCustomer(body: NewCustomer): Promise<string> {
    const res = await this.http.request('POST', '/wholesale/customers', { body, schema: resourceUrl });
    const location = res.headers['location'] ?? res.data.url;
    return decodeURIComponent(location.replace(/\/+$/, '').split('/').pop() ?? '');
  }

  /**
   * Sets the customer's complete package list (a package left out is removed). Webex answers 202 and updates the
   * customer in the background (status `updating`).
   */
  async updateCustomer(customerId: string, body: { packages: string[] }): Promise<void> {
    await this.updateCustomerAnswer(customerId, body);
  }

  /** `updateCustomer`, answering with Webex's tracking ID too (a repair journals it). */
  updateCustomerAnswer(customerId: string, body: { packages: string[] }): Promise<WebexResponse<z.infer<typeof resourceUrl>>> {
    return this.http.request('PUT', `/wholesale/customers/${encodeURIComponent(customerId)}`, { body, schema: resourceUrl });
  }

  async deleteCustomer(customerId: string): Promise<void> {
    await this.http.request('DELETE', `/wholesale/customers/${encodeURIComponent(customerId)}`);
  }

  async listSubscribers(query: { customerId?: string; externalCustomerId?: string; email?: string; max?: number }): Promise<Subscriber[]> {
    return this.http.listAll('/wholesale/subscribers', query, subscriber);
  }

  async getSubscriber(subscriberId: string): Promise<Subscriber> {
    return (await this.http.request('GET', `/wholesale/subscribers/${encodeURIComponent(subscriberId)}`, { schema: subscriber })).data;
  }

  async precheckSubscriber(body: { customerId: string; email: string; packages: string[]; provisioningParameters?: SubscriberParameters }): Promise<void> {
    await this.http.request('POST', '/wholesale/subscribers/validate', { body, schema: precheck, retrySafe: true });
  }

  async createSubscriber(body: NewSubscriber): Promise<Subscriber> {
    return (await this.createSubscriberAnswer(body)).data;
  }

  /** `createSubscriber`, answering with Webex's tracking ID too (a repair journals it). */
  createSubscriberAnswer(body: NewSubscriber): Promise<WebexResponse<Subscriber>> {
    return this.http.request('POST', '/wholesale/subscribers', { body, schema: subscriber });
  }

  /** `packages` is the subscriber's complete new list: a package left out is taken away. */
  async updateSubscriber(subscriberId: string, body: SubscriberUpdate): Promise<Subscriber> {
    return (await this.updateSubscriberAnswer(subscriberId, body)).data;
  }

  /** `updateSubscriber`, answering with Webex's tracking ID too (a repair journals it). */
  updateSubscriberAnswer(subscriberId: string, body: SubscriberUpdate): Promise<WebexResponse<Subscriber>> {
    return this.http.request('PUT', `/wholesale/subscribers/${encodeURIComponent(subscriberId)}`, { body, schema: subscriber });
  }

  /**
   * Asks Webex to send its invitation again to a subscriber in `pending_user_migration` (the e-mail belongs to an
   * existing Webex account, whose owner must consent to the move). Note the path: it is not under /wholesale.
   */
  async sendConsentMoveEmail(subscriberId: string): Promise<void> {
    await this.http.request('POST', `/subscribers/${encodeURIComponent(subscriberId)}/emails/consentMove`);
  }

  async deleteSubscriber(subscriberId: string): Promise<void> {
    await this.http.request('DELETE', `/wholesale/subscribers/${encodeURIComponent(subscriberId)}`);
  }
}

