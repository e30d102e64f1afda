import { z } from 'zod';
import type { WebexHttp } from './http';

/**
 * BYODS data sources (Webex Admin API, scopes spark-admin:datasource_read / _write).
 * Every field but the id is optional at the boundary: list items carry fewer fields than
 * details, and unknown fields pass through so records keep the whole answer.
 */
export const dataSource = z
  .object({
    id: z.string(),
    schemaId: z.string().optional(),
    url: z.string().optional(),
    audience: z.string().optional(),
    subject: z.string().optional(),
    nonce: z.string().optional(),
    tokenLifetimeMinutes: z.number().optional(),
    tokenExpiryTime: z.string().optional(),
    status: z.string().optional(),
    errorMessage: z.string().nullish(),
    jwsToken: z.string().optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .passthrough();
export type DataSource = z.infer<typeof dataSource>;

export const dataSourceSchema = z
  .object({
    id: z.string(),
    serviceType: z.string().optional(),
    description: z.string().optional(),
    protocol: z.string().optional(),
    appType: z.string().optional(),
    url: z.string().optional(),
  })
  .passthrough();
export type DataSourceSchema = z.infer<typeof dataSourceSchema>;

export type DataSourceStatus = 'active' | 'disabled';

/** What a registration sends. */
export interface DataSourceConfiguration {
  schemaId: string;
  url: string;
  audience: string;
  subject: string;
  nonce: string;
  tokenLifetimeMinutes: number;
}

/** What an update sends: Webex insists on a new nonce; disabling needs the message Control Hub shows. */
export interface DataSourceUpdate extends DataSourceConfiguration {
  status?: DataSourceStatus;
  errorMessage?: string;
}

export class DataSourcesApi {
  constructor(private readonly http: WebexHttp) {}

  /** The contract lists data sources at `/dataSources/` (with the slash) and creates them at `/dataSources`. */
  list(): Promise<DataSource[]> {
    return this.http.listAll('/dataSources/', {}, dataSource);
  }

  async get(id: string): Promise<DataSource> {
    const { data } = await this.http.request('GET', dataSourcePath(id), { schema: dataSource });
    return data;
  }

  /** Not retried after a lost answer: a second POST would register a second data source. */
  async create(configuration: DataSourceConfiguration): Promise<DataSource> {
    const { data } = await this.http.request('POST', '/dataSources', { body: configuration, schema: dataSource, retrySafe: false });
    return data;
  }

  async update(id: string, update: DataSourceUpdate): Promise<DataSource> {
    const { data } = await this.http.request('PUT', dataSourcePath(id), { body: update, schema: dataSource });
    return data;
  }

  /** Webex stops sending data to it at once; there is no undo. */
  async delete(id: string): Promise<void> {
    await this.http.request('DELETE', dataSourcePath(id));
  }

  listSchemas(): Promise<DataSourceSchema[]> {
    return this.http.listAll('/dataSources/schemas', {}, dataSourceSchema);
  }

  async getSchema(schemaId: string): Promise<DataSourceSchema> {
    const { data } = await this.http.request('GET', `/dataSources/schemas/${encodeURIComponent(schemaId)}`, { schema: dataSourceSchema });
    return data;
  }
}

function dataSourcePath(id: string): string {
  return `/dataSources/${encodeURIComponent(id)}`;
}
