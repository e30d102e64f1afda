import { randomUUID } from 'node:crypto';

/** The resource kinds whose ids the simulator mints, spelled as they appear inside real Webex ids. */
export type WebexIdKind = 'ENTERPRISE' | 'ORGANIZATION' | 'SUBSCRIBER' | 'PEOPLE' | 'LOCATION';

/**
 * Webex ids are base64 of `ciscospark://us/<KIND>/<uuid>`. The sim uses the URL-safe alphabet so an id
 * can be put in a path segment as is, which is what clients do with real ids.
 */
export function newWebexId(kind: WebexIdKind): string {
  return Buffer.from(`ciscospark://us/${kind}/${randomUUID()}`).toString('base64url');
}

/** The `SIM_` prefix makes a simulator tracking id impossible to mistake for a real one in logs. */
export function newTrackingId(): string {
  return `SIM_${randomUUID()}`;
}
