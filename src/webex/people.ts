import { z } from 'zod';
import type { WebexHttp } from './http';
import { person, Person } from './schemas';

const personList = z.object({ items: z.array(person) }).passthrough();

/** The People API, used to free an e-mail address after a subscriber is removed. */
export class PeopleApi {
  constructor(private readonly http: WebexHttp) {}

  async findByEmail(email: string, orgId?: string): Promise<Person | undefined> {
    const { data } = await this.http.request('GET', '/people', { query: { email, orgId }, schema: personList });
    return data.items[0];
  }

  async delete(personId: string): Promise<void> {
    await this.http.request('DELETE', `/people/${encodeURIComponent(personId)}`);
  }
}
