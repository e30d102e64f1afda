import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from './bodies';
import type { SimContext } from './context';
import { WebexHttpError } from './http';
import { sendPage } from './pagination';
import type { SimRouteModule } from './routes';
import { createSigningKey, SIM_JWKS_PATH, type SigningKey } from './signingKey';

/**
 * BYODS data sources and service app tokens (Webex Admin API), for the simulator.
 * Mounted like any route module (`startWebexSim(opts, [byods.routes], [byods.keyRoutes])`), so the
 * app's auth, fault injection, tracking IDs and call recording apply; this module adds what BYODS
 * needs on top: its own data, data-source tokens signed with RS256 whose public key `keyRoutes`
 * serves as a JWKS at `SIM_JWKS_PATH` (the path of Webex's own key set), and the application
 * token endpoint, which hands out OAuth tokens of the simulator's token service.
 */

export interface SimDataSourceSchema {
  id: string;
  serviceType: string;
  description: string;
  protocol: string;
  appType: string;
  url: string;
  createdAt: string;
}

export interface SimDataSource {
  id: string;
  orgId: string;
  applicationId: string;
  schemaId: string;
  url: string;
  audience: string;
  subject: string;
  nonce: string;
  tokenLifetimeMinutes: number;
  /** Epoch milliseconds. */
  tokenExpiresAt: number;
  status: 'active' | 'disabled';
  errorMessage?: string;
  jwsToken: string;
  createdAt: string;
  updatedAt: string;
}

export interface SimServiceApp {
  appId: string;
  clientId: string;
  clientSecret: string;
}

export interface DataSourcesSimOptions {
  schemas?: SimDataSourceSchema[];
  serviceApps?: SimServiceApp[];
  now?: () => number;
}

export interface DataSourcesSim {
  dataSources: Map<string, SimDataSource>;
  schemas: SimDataSourceSchema[];
  serviceApps: SimServiceApp[];
  /** How many tokens the application token endpoint issued. */
  tokensIssued(): number;
  /** Adds a data source directly (no HTTP), e.g. one whose token expires in a few minutes. */
  seed(fields: Partial<Omit<SimDataSource, 'jwsToken' | 'tokenExpiresAt'>> & { url: string; tokenExpiresInMs?: number }): SimDataSource;
  /** The key data-source tokens are signed with; its public half is what `keyRoutes` serves. */
  signingKey: SigningKey;
  /** Under `/v1`: data sources, schemas and `POST /applications/{id}/token`. */
  routes: SimRouteModule;
  /** At the root, without a token: `GET ${SIM_JWKS_PATH}`, the public key set. */
  keyRoutes: SimRouteModule;
}

export const SIM_ORG_ID = 'sim-org-0000-byods';
const SIM_APPLICATION_ID = 'sim-byods-service-app';
const ISSUER = 'https://idbroker.webex.com/idb';

export const DEFAULT_SIM_SCHEMAS: SimDataSourceSchema[] = [
  {
    id: '78efc775-dccb-45ca-9acf-989a4a59f788',
    serviceType: 'webService',
    description: 'Virtual agent web service',
    protocol: 'gRPC',
    appType: 'serviceApp',
    url: '/path/to/definition/webService',
    createdAt: '2024-09-05T01:35:04.772Z',
  },
  {
    id: '5397013b-7bb8-4a8d-9b5c-2f6a0f1f4a11',
    serviceType: 'contactCenter',
    description: 'Contact center media forking',
    protocol: 'gRPC',
    appType: 'serviceApp',
    url: '/path/to/definition/contactCenter',
    createdAt: '2024-09-05T01:35:04.772Z',
  },
];

const text = z.string().trim().min(1);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const lifetime = z.number().int().min(1, 'must be at least 1').max(1440, 'must be at most 1440');

const createBody = z.object({ schemaId: text, url: httpUrl, audience: text, subject: text, nonce: text, tokenLifetimeMinutes: lifetime });
const updateBody = z.object({
  schemaId: text.optional(),
  url: httpUrl.optional(),
  audience: text.optional(),
  subject: text.optional(),
  nonce: text,
  tokenLifetimeMinutes: lifetime.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  errorMessage: z.string().optional(),
});
const tokenBody = z.object({ clientId: text, clientSecret: text, targetOrgId: text });

export function createDataSourcesSim(opts: DataSourcesSimOptions = {}): DataSourcesSim {
  const now = opts.now ?? Date.now;
  const signingKey = createSigningKey();
  const dataSources = new Map<string, SimDataSource>();
  const schemas = opts.schemas ?? DEFAULT_SIM_SCHEMAS;
  const serviceApps = opts.serviceApps ?? [];
  let issued = 0;

  /** Every change issues a new token: exp = now + lifetime, as Webex does (seeds may choose another expiry). */
  const issueToken = (
    source: Omit<SimDataSource, 'jwsToken' | 'tokenExpiresAt'>,
    expiresAtMs = now() + source.tokenLifetimeMinutes * 60_000,
  ): Pick<SimDataSource, 'jwsToken' | 'tokenExpiresAt'> => {
    const iat = Math.floor(now() / 1000);
    const exp = Math.floor(expiresAtMs / 1000);
    const claims = {
      aud: source.audience,
      sub: source.subject,
      iss: ISSUER,
      exp,
      iat,
      jti: randomUUID(),
      'com.cisco.datasource.url': source.url,
      'com.cisco.datasource.schema.uuid': source.schemaId,
      'com.cisco.org.uuid': source.orgId,
    };
    return { jwsToken: signingKey.sign(claims), tokenExpiresAt: exp * 1000 };
  };

  const seed: DataSourcesSim['seed'] = (fields) => {
    const stamp = new Date(now()).toISOString();
    const { tokenExpiresInMs, ...given } = fields;
    const base = {
      id: randomUUID(),
      orgId: SIM_ORG_ID,
      applicationId: SIM_APPLICATION_ID,
      schemaId: schemas[0]?.id ?? randomUUID(),
      audience: 'BYODS',
      subject: 'BYODS',
      nonce: randomUUID(),
      tokenLifetimeMinutes: 1440,
      status: 'active' as const,
      createdAt: stamp,
      updatedAt: stamp,
      ...given,
    };
    const source: SimDataSource = { ...base, ...issueToken(base, tokenExpiresInMs === undefined ? undefined : now() + tokenExpiresInMs) };
    dataSources.set(source.id, source);
    return source;
  };

  const routes: SimRouteModule = (ctx: SimContext) => {
    const router = Router();
    // A service app's client ID and secret also renew its tokens at POST /access_token.
    for (const app of serviceApps) ctx.oauth.registerClient(app);
    const requireSource = (id: string): SimDataSource => {
      const source = dataSources.get(id);
      if (!source) throw new WebexHttpError(404, `Data source ${id} not found.`);
      return source;
    };

    router.get('/dataSources/schemas', (req, res) => sendPage(req, res, schemas, ctx.settings.pageSize));
    router.get('/dataSources/schemas/:schemaId', (req, res) => {
      const schema = schemas.find((candidate) => candidate.id === req.params.schemaId);
      if (!schema) throw new WebexHttpError(404, `Schema ${req.params.schemaId} not found.`);
      res.json(schema);
    });

    router.get('/dataSources', (req, res) => sendPage(req, res, [...dataSources.values()].map(dataSourceJson), ctx.settings.pageSize));

    router.post('/dataSources', (req, res) => {
      const body = parseBody(createBody, req.body);
      assertSchemaKnown(schemas, body.schemaId);
      const stamp = new Date(now()).toISOString();
      const base = { id: randomUUID(), orgId: SIM_ORG_ID, applicationId: SIM_APPLICATION_ID, ...body, status: 'active' as const, createdAt: stamp, updatedAt: stamp };
      const source: SimDataSource = { ...base, ...issueToken(base) };
      dataSources.set(source.id, source);
      res.json(dataSourceJson(source));
    });

    router.get('/dataSources/:dataSourceId', (req, res) => {
      res.json(dataSourceJson(requireSource(req.params.dataSourceId)));
    });

    router.put('/dataSources/:dataSourceId', (req, res) => {
      const current = requireSource(req.params.dataSourceId);
      const body = parseBody(updateBody, req.body);
      if (body.nonce === current.nonce) throw new WebexHttpError(400, 'The nonce must be different from the current nonce.');
      if (body.schemaId) assertSchemaKnown(schemas, body.schemaId);
      if (body.status === 'disabled' && !body.errorMessage?.trim()) {
        throw new WebexHttpError(400, 'An errorMessage is required to disable a data source.');
      }
      const status = body.status ?? current.status;
      const { jwsToken: _oldToken, tokenExpiresAt: _oldExpiry, errorMessage: oldMessage, ...kept } = current;
      const errorMessage = status === 'disabled' ? (body.errorMessage?.trim() ?? oldMessage) : undefined;
      const next = {
        ...kept,
        ...withoutUndefined({ schemaId: body.schemaId, url: body.url, audience: body.audience, subject: body.subject, tokenLifetimeMinutes: body.tokenLifetimeMinutes }),
        nonce: body.nonce,
        status,
        ...(errorMessage ? { errorMessage } : {}),
        updatedAt: new Date(now()).toISOString(),
      };
      const updated: SimDataSource = { ...next, ...issueToken(next) };
      dataSources.set(updated.id, updated);
      res.json(dataSourceJson(updated));
    });

    router.delete('/dataSources/:dataSourceId', (req, res) => {
      dataSources.delete(requireSource(req.params.dataSourceId).id);
      res.status(204).end();
    });

    /** The app checked the personal token; here the service app's own credentials are checked. */
    router.post('/applications/:applicationId/token', (req, res) => {
      const app = serviceApps.find((candidate) => candidate.appId === req.params.applicationId);
      if (!app) throw new WebexHttpError(404, 'Service App not found.');
      const body = parseBody(tokenBody, req.body);
      if (body.clientId !== app.clientId || body.clientSecret !== app.clientSecret) {
        throw new WebexHttpError(401, 'Invalid client credentials', [{ description: 'The provided clientId or clientSecret is invalid' }]);
      }
      issued += 1;
      res.json(ctx.oauth.issue(app.clientId));
    });

    return router;
  };

  const keyRoutes: SimRouteModule = () => Router().get(SIM_JWKS_PATH, (_req, res) => void res.json(signingKey.jwks));

  return { dataSources, schemas, serviceApps, tokensIssued: () => issued, seed, signingKey, routes, keyRoutes };
}

function dataSourceJson(source: SimDataSource): Record<string, unknown> {
  const { tokenExpiresAt, ...fields } = source;
  return { ...fields, tokenExpiryTime: new Date(tokenExpiresAt).toISOString() };
}

function assertSchemaKnown(schemas: SimDataSourceSchema[], schemaId: string): void {
  if (!schemas.some((schema) => schema.id === schemaId)) throw new WebexHttpError(400, `Unknown schemaId ${schemaId}.`);
}

function withoutUndefined<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}
