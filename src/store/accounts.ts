import type { Selectable } from 'kysely';
import type { AccountsTable, AccountUsersTable } from './schema';
import type { Scope } from './scope';

export type AccountStatus = AccountsTable['status'];
export type PackageLevel = NonNullable<AccountsTable['package_level']>;
export type UserStatus = AccountUsersTable['status'];

/** One AppDirect account as the connector remembers it: a subscription, or an add-on of one. */
export interface Account {
  accountId: string;
  /** Set for an add-on: the subscription it extends. */
  parentAccountId?: string;
  companyUuid?: string;
  companyName?: string;
  customerId?: string;
  orgId?: string;
  status: AccountStatus;
  editionCode?: string;
  /** A subscription's subscriber package; an add-on's package. */
  package?: string;
  /** An add-on's level: on every subscriber of its subscription, or on the customer. */
  packageLevel?: PackageLevel;
  /** The add-on put its package on the customer, so ending it takes the package off again. */
  addedToCustomer: boolean;
  /** Users the subscription may have; absent for a single-user product. */
  seats?: number;
  createdAt: number;
  updatedAt: number;
}

export type AccountFacts = Omit<Account, 'createdAt' | 'updatedAt'>;

/** Where Webex's invitation to move an existing account (pending_user_migration) stands. */
export interface Invitation {
  invitedAt: number;
  lastInvitedAt: number;
  /** Invitations the connector sent again on its own. */
  resent: number;
  /** An operator asked for one more; cleared when it is sent. */
  resendRequestedAt?: number;
}

/** A user of a subscription, as the connector provisioned it. */
export interface AccountUser {
  accountId: string;
  /** Lower case. */
  email: string;
  appDirectUuid?: string;
  firstName?: string;
  lastName?: string;
  subscriberId?: string;
  /** The complete package list the subscriber has, or gets back when its account is reactivated. */
  packages: string[];
  extension?: string;
  locationId?: string;
  status: UserStatus;
  invitation?: Invitation;
  createdAt: number;
  updatedAt: number;
}

export type UserFacts = Pick<AccountUser, 'accountId' | 'email' | 'packages' | 'status'> &
  Partial<Pick<AccountUser, 'appDirectUuid' | 'firstName' | 'lastName' | 'subscriberId' | 'extension' | 'locationId'>>;

/** A user waiting for their consent, with the account they belong to: what the operator page and the CLI list. */
export interface PendingConsent {
  user: AccountUser;
  account: Account;
}

const emailKey = (email: string) => email.trim().toLowerCase();
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/**
 * The connector's memory of every account: which Webex customer serves it, its package, add-ons, seats and
 * status, and its users. Every write is an upsert or a plain update, so an attempt repeated after a crash
 * writes the same facts again without harm.
 */
export class AccountMemory {
  constructor(private readonly scope: Scope) {}

  async get(accountId: string): Promise<Account | undefined> {
    const row = await this.scope.db.selectFrom('accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  /** Every account, subscriptions before their add-ons: what a reconciliation walks through. */
  async all(): Promise<Account[]> {
    const rows = await this.scope.db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('account_id').execute();
    const accounts = rows.map(toAccount);
    return [...accounts.filter((a) => !a.parentAccountId), ...accounts.filter((a) => a.parentAccountId)];
  }

  /** The add-ons of a subscription, whatever their status. */
  async addonsOf(parentAccountId: string): Promise<Account[]> {
    const rows = await this.scope.db.selectFrom('accounts').selectAll().where('parent_account_id', '=', parentAccountId).orderBy('created_at').execute();
    return rows.map(toAccount);
  }

  /** Writes everything known of an account; its creation time stays the first one. */
  async remember(facts: AccountFacts, now: number): Promise<void> {
    const values = {
      parent_account_id: orNull(facts.parentAccountId),
      company_uuid: orNull(facts.companyUuid),
      company_name: orNull(facts.companyName),
      customer_id: orNull(facts.customerId),
      org_id: orNull(facts.orgId),
      status: facts.status,
      edition_code: orNull(facts.editionCode),
      package: orNull(facts.package),
      package_level: orNull(facts.packageLevel),
      added_to_customer: facts.addedToCustomer ? 1 : 0,
      seats: orNull(facts.seats),
      updated_at: now,
    };
    await this.scope.db
      .insertInto('accounts')
      .values({ account_id: facts.accountId, ...values, created_at: now })
      .onConflict((oc) => oc.column('account_id').doUpdateSet(values))
      .execute();
  }

  async setStatus(accountId: string, status: AccountStatus, now: number): Promise<void> {
    await this.scope.db.updateTable('accounts').set({ status, updated_at: now }).where('account_id', '=', accountId).execute();
  }

  async users(accountId: string): Promise<AccountUser[]> {
    const rows = await this.scope.db.selectFrom('account_users').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('email').execute();
    return rows.map(toUser);
  }

  async user(accountId: string, email: string): Promise<AccountUser | undefined> {
    const row = await this.scope.db.selectFrom('account_users').selectAll().where('account_id', '=', accountId).where('email', '=', emailKey(email)).executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  /** AppDirect's user UUID stays when the e-mail changes, so a USER_UPDATED finds the user by it first. */
  async userByAppDirectUuid(accountId: string, uuid: string): Promise<AccountUser | undefined> {
    const row = await this.scope.db.selectFrom('account_users').selectAll().where('account_id', '=', accountId).where('appdirect_uuid', '=', uuid).executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  /** Writes a user; an invitation already recorded stays (it is the watcher's to change). */
  async rememberUser(facts: UserFacts, now: number): Promise<void> {
    const values = {
      appdirect_uuid: orNull(facts.appDirectUuid),
      first_name: orNull(facts.firstName),
      last_name: orNull(facts.lastName),
      subscriber_id: orNull(facts.subscriberId),
      packages_json: JSON.stringify(facts.packages),
      extension: orNull(facts.extension),
      location_id: orNull(facts.locationId),
      status: facts.status,
      updated_at: now,
    };
    await this.scope.db
      .insertInto('account_users')
      .values({ account_id: facts.accountId, email: emailKey(facts.email), ...values, invitations_resent: 0, created_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'email']).doUpdateSet(values))
      .execute();
  }

  /** The package list every user of the subscription has (or will have back). */
  async setUserPackages(accountId: string, packages: string[], now: number): Promise<void> {
    await this.scope.db.updateTable('account_users').set({ packages_json: JSON.stringify(packages), updated_at: now }).where('account_id', '=', accountId).execute();
  }

  async setUserStatus(accountId: string, email: string, status: UserStatus, now: number): Promise<void> {
    await this.scope.db.updateTable('account_users').set({ status, updated_at: now }).where('account_id', '=', accountId).where('email', '=', emailKey(email)).execute();
  }

  async forgetUser(accountId: string, email: string): Promise<void> {
    await this.scope.db.deleteFrom('account_users').where('account_id', '=', accountId).where('email', '=', emailKey(email)).execute();
  }

  async forgetUsers(accountId: string): Promise<void> {
    await this.scope.db.deleteFrom('account_users').where('account_id', '=', accountId).execute();
  }

  /** Webex sent its first invitation when the subscriber was created; recorded once, however often this is repeated. */
  async recordInvited(accountId: string, email: string, now: number): Promise<void> {
    await this.scope.db
      .updateTable('account_users')
      .set({ invited_at: now, last_invited_at: now, invitations_resent: 0, resend_requested_at: null, updated_at: now })
      .where('account_id', '=', accountId)
      .where('email', '=', emailKey(email))
      .where('invited_at', 'is', null)
      .execute();
  }

  /** The invitation was sent again: on the connector's own schedule (counted), or because an operator asked. */
  async recordInvitationResent(accountId: string, email: string, by: 'schedule' | 'operator', now: number): Promise<void> {
    await this.scope.db
      .updateTable('account_users')
      .set((eb) => ({
        last_invited_at: now,
        invitations_resent: by === 'schedule' ? eb('invitations_resent', '+', 1) : eb.ref('invitations_resent'),
        resend_requested_at: null,
        updated_at: now,
      }))
      .where('account_id', '=', accountId)
      .where('email', '=', emailKey(email))
      .execute();
  }

  /** Marks every waiting user with this e-mail for one more invitation; returns who was marked. */
  async requestResend(email: string, now: number): Promise<AccountUser[]> {
    const rows = await this.scope.db
      .updateTable('account_users')
      .set({ resend_requested_at: now, updated_at: now })
      .where('email', '=', emailKey(email))
      .where('status', '=', 'pending_consent')
      .returningAll()
      .execute();
    return rows.map(toUser);
  }

  /** Users waiting for their consent to move an existing Webex account, oldest invitation first. */
  async pendingConsent(): Promise<PendingConsent[]> {
    const users = await this.scope.db.selectFrom('account_users').selectAll().where('status', '=', 'pending_consent').orderBy('invited_at').orderBy('email').execute();
    if (!users.length) return [];
    const accountIds = [...new Set(users.map((u) => u.account_id))];
    const accounts = new Map((await this.scope.db.selectFrom('accounts').selectAll().where('account_id', 'in', accountIds).execute()).map((row) => [row.account_id, toAccount(row)]));
    return users.flatMap((row) => {
      const account = accounts.get(row.account_id);
      return account ? [{ user: toUser(row), account }] : [];
    });
  }
}

const optional = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toAccount(row: Selectable<AccountsTable>): Account {
  return {
    accountId: row.account_id,
    parentAccountId: optional(row.parent_account_id),
    companyUuid: optional(row.company_uuid),
    companyName: optional(row.company_name),
    customerId: optional(row.customer_id),
    orgId: optional(row.org_id),
    status: row.status,
    editionCode: optional(row.edition_code),
    package: optional(row.package),
    packageLevel: optional(row.package_level),
    addedToCustomer: Number(row.added_to_customer) === 1,
    seats: row.seats === null ? undefined : Number(row.seats),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toUser(row: Selectable<AccountUsersTable>): AccountUser {
  return {
    accountId: row.account_id,
    email: row.email,
    appDirectUuid: optional(row.appdirect_uuid),
    firstName: optional(row.first_name),
    lastName: optional(row.last_name),
    subscriberId: optional(row.subscriber_id),
    packages: JSON.parse(row.packages_json) as string[],
    extension: optional(row.extension),
    locationId: optional(row.location_id),
    status: row.status,
    invitation:
      row.invited_at === null
        ? undefined
        : {
            invitedAt: Number(row.invited_at),
            lastInvitedAt: Number(row.last_invited_at ?? row.invited_at),
            resent: Number(row.invitations_resent),
            resendRequestedAt: row.resend_requested_at === null ? undefined : Number(row.resend_requested_at),
          },
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
