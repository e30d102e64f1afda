import { pathTemplate } from '../../src/metrics/pathTemplate';

test('IDs in paths become {id}; the API words stay', () => {
  expect(pathTemplate('/wholesale/subscribers/Y2lzY29zcGFyazovL3VzL1NVQlNDUklCRVIvMTIz')).toBe('/wholesale/subscribers/{id}');
  expect(pathTemplate('/wholesale/customers/validate')).toBe('/wholesale/customers/validate');
  expect(pathTemplate('/telephony/config/locations/abc123/actions/validateExtensions/invoke')).toBe('/telephony/config/locations/{id}/actions/validateExtensions/invoke');
  expect(pathTemplate('/api/integration/v1/events/6f3c2b1a-0000-4000-8000-000000000000/result')).toBe('/api/integration/v1/events/{id}/result');
  expect(pathTemplate('/dataSources/')).toBe('/dataSources');
});

test('a word the connector never calls is treated as an ID, so labels stay bounded', () => {
  expect(pathTemplate('/people/ada@example.com')).toBe('/people/{id}');
  expect(pathTemplate('/somethingNew/abc')).toBe('/{id}/{id}');
});
