import { z } from 'zod';
import type { WebexHttp } from './http';
import { person, Person } from './schemas';

const personList = z.object({ items: z.array(person) }).passthrough();

/**
 * What a person update carries over unchanged from the person as read: Webex expects every detail in a PUT and
 * treats a missing one as a change. `nickName` is left out (Webex sets it from the first name itself), and of the
 * phone numbers only the work numbers, the only kind an update may set.
 */
const KEPT_ON_UPDATE = ['emails', 'extension', 'locationId', 'avatar', 'orgId', 'roles', 'licenses', 'department', 'manager', 'managerId', 'title', 'addresses', 'siteUrls', 'loginEnabled'] as const;

/** The People API: a subscriber's name is changed here, and a person is deleted to free an e-mail address. */
export class PeopleApi {
  constructor(private readonly http: WebexHttp) {}

  async findByEmail(email: string, orgId?: string): Promise<Person | undefined> {
    const { data } = await this.http.request('GET', '/people', { query: { email, orgId }, schema: personList });
    return data.items[0];
  }

  /** With its calling data (extension, location), so that an update can hand them back unchanged. */
  async get(personId: string): Promise<Person> {
    return (await this.http.request('GET', `/people/${encodeURIComponent(personId)}`, { query: { callingData: 'true' }, schema: person })).data;
  }

  /** Renames a person, keeping every other detail as it is. */
  async rename(current: Person, name: { firstName?: string; lastName?: string }): Promise<Person> {
    const source = current as Record<string, unknown>;
    const kept = Object.fromEntries(KEPT_ON_UPDATE.filter((key) => source[key] !== undefined).map((key) => [key, source[key]]));
    const workNumbers = (current.phoneNumbers ?? []).filter((n) => n.type === 'work' && n.value).map((n) => ({ type: 'work' as const, value: n.value }));
    const firstName = name.firstName ?? current.firstName;
    const lastName = name.lastName ?? current.lastName;
    const body = {
      ...kept,
      ...(workNumbers.length ? { phoneNumbers: workNumbers } : {}),
      ...(firstName !== undefined ? { firstName } : {}),
      ...(lastName !== undefined ? { lastName } : {}),
      displayName: [firstName, lastName].filter(Boolean).join(' ') || current.displayName || current.emails?.[0] || current.id,
    };
    return (await this.http.request('PUT', `/people/${encodeURIComponent(current.id)}`, { query: { callingData: 'true' }, body, schema: person })).data;
  }

  async delete(personId: string): Promise<void> {
    await this.http.request('DELETE', `/people/${encodeURIComponent(personId)}`);
  }
}
