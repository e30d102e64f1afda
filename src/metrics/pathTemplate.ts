/**
 * Path segments the connector's own API calls are made of. Any other segment is an ID (a Webex
 * customer, an AppDirect event token…) and becomes `{id}`, so a label never holds customer data
 * and the number of label values stays bounded even for an endpoint added later.
 */
const API_WORDS = new Set([
  // Webex
  'wholesale', 'customers', 'subscribers', 'validate', 'people', 'telephony', 'config', 'locations',
  'actions', 'validateExtensions', 'invoke', 'applications', 'token', 'dataSources', 'schemas',
  // AppDirect
  'api', 'integration', 'v1', 'events', 'result', 'oauth2',
]);

export function pathTemplate(path: string): string {
  const segments = path.split('/').filter(Boolean);
  return `/${segments.map((segment) => (API_WORDS.has(segment) ? segment : '{id}')).join('/')}`;
}
