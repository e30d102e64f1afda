import type { WebexHttp } from './http';
import { extensionValidation, location, Location } from './schemas';

/** Locations and extension checks of Webex Calling (documented on the Webex developer site). */
export class CallingApi {
  constructor(private readonly http: WebexHttp) {}

  listLocations(orgId: string): Promise<Location[]> {
    return this.http.listAll('/locations', { orgId }, location);
  }

  /** Checks several candidate extensions in one call and returns those Webex calls VALID. */
  async usableExtensions(orgId: string, locationId: string, candidates: string[]): Promise<string[]> {
    const { data } = await this.http.request('POST', `/telephony/config/locations/${encodeURIComponent(locationId)}/actions/validateExtensions/invoke`, {
      query: { orgId },
      body: { extensions: candidates },
      schema: extensionValidation,
      retrySafe: true,
    });
    if (data.status === 'OK') return candidates;
    const valid = new Set((data.extensionStatus ?? []).filter((s) => s.state === 'VALID').map((s) => s.extension));
    return candidates.filter((c) => valid.has(c));
  }
}
