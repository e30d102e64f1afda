import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOpenApiContract } from '../../sim/contract/openapi';

/**
 * A tiny spec pair written for these tests, so the OpenAPI 3.0 handling is proven without the shared files.
 * It keeps the `Subscriber.status` enum because the documented-deviation allowlist must find it.
 */
const wholesale = {
  openapi: '3.0.0',
  paths: {
    '/things/{thingId}': {
      get: { responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } }, 404: {} } },
    },
    '/things/special': { get: { responses: { 204: {} } } },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string' },
          note: { type: 'string', nullable: true },
          size: { type: 'integer', format: 'int64', minimum: 0, exclusiveMinimum: true },
          secret: { type: 'string', format: 'password' },
        },
      },
      Subscriber: { type: 'object', properties: { status: { type: 'string', enum: ['provisioned'] } } },
    },
  },
};

const admin = {
  openapi: '3.0.0',
  paths: {
    '/dataSources': { post: { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } }, responses: { 200: {} } } },
    '/dataSources/': { get: { responses: { 200: {} } } },
  },
  components: { schemas: {} },
};

describe('OpenAPI contract checker', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'contract-'));
    writeFileSync(path.join(dir, 'webex-wholesale.json'), JSON.stringify(wholesale));
    writeFileSync(path.join(dir, 'webex-admin.json'), JSON.stringify(admin));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const thing = (body: unknown) => ({ method: 'GET', path: '/things/t1', status: 200, responseBody: body });

  it('reads nullable, boolean exclusive bounds and annotation-only formats the OpenAPI 3.0 way', () => {
    const contract = loadOpenApiContract(dir);
    expect(contract.checkCall(thing({ id: 't1', note: null, size: 1, secret: 'x' }))).toEqual([]);
    expect(contract.checkCall(thing({ id: 't1', size: 0 }))).toEqual(['GET /things/{thingId} response 200: /size must be > 0']);
    expect(contract.checkCall(thing({ id: 't1', size: 1.5 }))).toEqual([
      'GET /things/{thingId} response 200: /size must be integer',
      'GET /things/{thingId} response 200: /size must match format "int64"',
    ]);
    expect(contract.checkCall(thing({ note: 3 }))).toEqual([
      "GET /things/{thingId} response 200: (root) must have required property 'id'",
      'GET /things/{thingId} response 200: /note must be string,null',
    ]);
  });

  it('prefers literal path segments, ignores /v1, query strings and trailing slashes', () => {
    const contract = loadOpenApiContract(dir);
    expect(contract.operationOf({ method: 'get', path: '/v1/things/special?x=1' })).toBe('GET /things/special');
    expect(contract.operationOf({ method: 'GET', path: 'http://127.0.0.1:1/v1/things/abc' })).toBe('GET /things/{thingId}');
    expect(contract.operationOf({ method: 'GET', path: '/dataSources' })).toBe('GET /dataSources');
    expect(contract.checkCall({ method: 'GET', path: '/dataSources', status: 200 })).toEqual([]);
    expect(contract.checkCall({ method: 'POST', path: '/dataSources/', status: 200 })).toEqual(['POST /dataSources request body: missing but required']);
  });

  it('counts every 4xx/5xx as listed, checks no body on them, and reports paths outside the files separately', () => {
    const contract = loadOpenApiContract(dir);
    expect(contract.checkCall({ method: 'GET', path: '/things/t1', status: 503, responseBody: { message: 'busy' } })).toEqual([]);
    expect(contract.checkCall({ method: 'GET', path: '/things/special', status: 204, responseBody: { x: 1 } })).toEqual([
      'GET /things/special response 204: has a body, but the contract declares none',
    ]);
    const report = contract.checkCalls([
      { method: 'GET', path: '/locations?orgId=o', status: 200 },
      { method: 'GET', path: '/things/t1', status: 0 },
    ]);
    expect(report).toEqual({ checked: 1, notInContract: ['GET /locations'], violations: [] });
  });

  it('can leave undeclared properties alone, as plain OpenAPI semantics would', () => {
    const strict = loadOpenApiContract(dir);
    const lenient = loadOpenApiContract(dir, { reportUndeclaredProperties: false });
    expect(strict.checkCall(thing({ id: 't1', extra: true }))).toEqual(['GET /things/{thingId} response 200: /extra is not declared in the contract']);
    expect(lenient.checkCall(thing({ id: 't1', extra: true }))).toEqual([]);
  });

  it('fails loudly when the documented-deviation allowlist no longer matches the spec', () => {
    const stale = mkdtempSync(path.join(tmpdir(), 'contract-stale-'));
    try {
      const withoutSubscriber = { ...wholesale, components: { schemas: { Thing: wholesale.components.schemas.Thing } } };
      writeFileSync(path.join(stale, 'webex-wholesale.json'), JSON.stringify(withoutSubscriber));
      writeFileSync(path.join(stale, 'webex-admin.json'), JSON.stringify(admin));
      expect(() => loadOpenApiContract(stale)).toThrow(/Subscriber\.status/);
    } finally {
      rmSync(stale, { recursive: true, force: true });
    }
  });
});
