import type { AccountUser } from '../store/accounts';
import type { ReadyCustomer } from '../provisioning/customer';

/** The ways Webex can differ from what AppDirect was told, as the operator sees them. */
export const DRIFT_KINDS = ['customer_missing', 'subscriber_missing', 'subscriber_unknown', 'wrong_packages', 'stuck'] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export const DRIFT_TITLES: Record<DriftKind, string> = {
  customer_missing: 'customer missing',
  subscriber_missing: 'subscriber missing',
  subscriber_unknown: 'subscriber AppDirect does not know',
  wrong_packages: 'wrong packages',
  stuck: 'stuck in Webex',
};

/** A change `--fix` may make in Webex to bring it back to what the connector told AppDirect. */
export type Repair =
  | { kind: 'create_subscriber'; customer: ReadyCustomer; user: AccountUser }
  | { kind: 'set_subscriber_packages'; customer: ReadyCustomer; user: AccountUser; subscriberId: string; current: string[] }
  | { kind: 'set_customer_packages'; customerId: string; current: string[]; packages: string[] };

/** What is to be done about a drift: a repair, the operator's decision, or the next run (Webex is busy now). */
export type Remedy = { kind: 'repair'; repair: Repair } | { kind: 'operator'; reason: string } | { kind: 'later'; reason: string };

/** One difference between the account memory and Webex. */
export interface Drift {
  kind: DriftKind;
  /** The subscription the drift is billed under. */
  accountId: string;
  company?: string;
  customerId: string;
  /** The subscriber's e-mail; absent when the drift is the customer's. */
  email?: string;
  subscriberId?: string;
  /** Packages as the connector remembers them, and as Webex has them. */
  expected?: string[];
  actual?: string[];
  /** Webex's status, for stuck customers and subscribers. */
  status?: string;
  /** One sentence an operator understands without looking anything up. */
  detail: string;
  remedy: Remedy;
}
