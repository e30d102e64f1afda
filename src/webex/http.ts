import axios, { AxiosInstance, AxiosResponse, isAxiosError } from 'axios';
import { z } from 'zod';
import { backoffMs } from '../backoff';
import type { Logger } from '../log';
import { observeCalls } from '../metrics/httpCalls';
import type { CallObserver } from '../metrics/observers';
import { WebexApiError, WebexResponseShapeError } from './errors';
import type { WebexPacer } from './pacer';

export interface WebexHttpOptions {
  baseUrl: string;
  /** Called before every request, so a token that is refreshed elsewhere is picked up. */
  getToken: () => Promise<string> | string;
  /**
   * Called once after a 401, with the token Webex refused, to get a fresh one; when absent a 401 is final.
   * Knowing the refused token lets a token source that has renewed meanwhile answer with its newer token.
   */
  refreshToken?: (rejectedToken: string) => Promise<string>;
  logger: Logger;
  timeoutMs?: number;
  /** Attempts for a safe call (including the first). */
  maxAttempts?: number;
  /** First backoff step for 5xx/network retries; doubles each time (with jitter). */
  backoffBaseMs?: number;
  /** Longest single wait, including a Retry-After that asks for more. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Spaces the calls ahead of Webex's rate limit; one per connector, shared by all its jobs. */
  pacer?: WebexPacer;
  /** Told of every request sent (retries included) and of every retry, for metrics. */
  onCall?: CallObserver;
  onRetry?: () => void;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions<T> {
  query?: Query;
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of a JSON body (the OAuth token endpoint). */
  form?: Record<string, string>;
  /** False for an endpoint that authenticates by its body (the OAuth token endpoint): no bearer token, and a 401 is final. */
  bearer?: boolean;
  /** Validates the JSON body of a 2xx answer; omit for answers without a body. */
  schema?: z.ZodType<T>;
  /**
   * Whether the call may be sent again after a failure whose outcome is unknown.
   * GET/PUT/DELETE are idempotent; a POST that creates something is not.
   */
  retrySafe?: boolean;
}

export interface WebexResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
  trackingId?: string;
}

const TRANSIENT_STATUSES = new Set([423, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'EAI_AGAIN']);

const webexErrorBody = z
  .object({
    message: z.string().optional(),
    errors: z.array(z.object({ description: z.string().optional() }).passthrough()).optional(),
    trackingId: z.string().optional(),
    // The OAuth token endpoint answers in RFC 6749's shape instead.
    error: z.string().optional(),
    error_description: z.string().optional(),
  })
  .passthrough();

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one HTTP layer for every Webex API area: bearer auth, timeouts, retries of what is safe
 * to retry, pagination and typed errors. API modules (wholesale, calling, people, data sources)
 * describe endpoints; they never talk to axios themselves.
 */
export class WebexHttp {
  private readonly axios: AxiosInstance;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: WebexHttpOptions) {
    this.axios = axios.create({
      baseURL: opts.baseUrl.replace(/\/+$/, ''),
      timeout: opts.timeoutMs ?? 20_000,
      maxRedirects: 0,
      validateStatus: () => true,
      headers: { Accept: 'application/json' },
    });
    if (opts.onCall) observeCalls(this.axios, opts.onCall);
    this.maxAttempts = opts.maxAttempts ?? 4;
    this.backoffBaseMs = opts.backoffBaseMs ?? 500;
    this.maxWaitMs = opts.maxWaitMs ?? 60_000;
    this.sleep = opts.sleep ?? defaultSleep;
  }

  async request<T = undefined>(method: string, path: string, options: RequestOptions<T> = {}): Promise<WebexResponse<T>> {
    const retrySafe = options.retrySafe ?? method !== 'POST';
    const bearer = options.bearer ?? true;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      // Outside the try: a token that cannot be had is not a network failure to retry.
      const token = bearer ? await this.opts.getToken() : undefined;
      let response: AxiosResponse;
      const pace = (await this.opts.pacer?.acquire()) ?? 0;
      try {
        response = await this.axios.request({
          method,
          url: path,
          params: cleanQuery(options.query),
          data: options.form ? new URLSearchParams(options.form).toString() : options.body,
          headers: {
            ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}),
            ...(options.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
          },
        });
      } catch (err) {
        const failure = networkFailure(method, path, err);
        // A request that never got an answer may still have been carried out: only repeat it when that is harmless.
        if (retrySafe && attempt < this.maxAttempts) {
          await this.wait(failure, attempt);
          continue;
        }
        throw failure;
      }

      const trackingId = headerValue(response.headers, 'trackingid');
      if (response.status === 429) this.opts.pacer?.throttled(pace, parseRetryAfter(headerValue(response.headers, 'retry-after')));
      else this.opts.pacer?.succeeded();
      if (response.status === 401 && token !== undefined && this.opts.refreshToken && !refreshed) {
        refreshed = true;
        await this.opts.refreshToken(token);
        continue;
      }
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, data: this.checkShape(method, path, response.data, options.schema, trackingId), headers: flatHeaders(response.headers), trackingId };
      }

      const failure = httpFailure(method, path, response, trackingId);
      // 429/423 mean "not done, come back later", so even a create is safe to repeat.
      const rateLimited = response.status === 429 || response.status === 423;
      if (failure.transient && (retrySafe || rateLimited) && attempt < this.maxAttempts) {
        await this.wait(failure, attempt);
        continue;
      }
      throw failure;
    }
  }

  /** Follows `Link: rel="next"` (or max/offset when the server gives no link) and returns every item. */
  async listAll<T>(path: string, query: Query, itemSchema: z.ZodType<T>): Promise<T[]> {
    const page = z.object({ items: z.array(itemSchema) }).passthrough();
    const items: T[] = [];
    let nextUrl: string | undefined;
    let current = await this.request('GET', path, { query, schema: page });
    for (;;) {
      items.push(...current.data.items);
      nextUrl = nextLink(current.headers['link']);
      if (!nextUrl) return items;
      const next = new URL(nextUrl);
      // The link is absolute; keep our base (and so our host) and follow only its path and query.
      const relativePath = next.pathname.replace(new URL(this.opts.baseUrl).pathname.replace(/\/+$/, ''), '');
      current = await this.request('GET', relativePath, { query: Object.fromEntries(next.searchParams), schema: page });
    }
  }

  private checkShape<T>(method: string, path: string, data: unknown, schema: z.ZodType<T> | undefined, trackingId?: string): T {
    if (!schema) return undefined as T;
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : 'body';
    throw new WebexResponseShapeError(method, path, `${where}: ${issue?.message ?? 'invalid'}`, trackingId);
  }

  private async wait(failure: WebexApiError, attempt: number): Promise<void> {
    const ms = Math.min(failure.details.retryAfterMs ?? backoffMs(attempt, this.backoffBaseMs, this.maxWaitMs), this.maxWaitMs);
    this.opts.logger.warn(
      { webex: { method: failure.details.method, path: failure.details.path, status: failure.status, trackingId: failure.trackingId }, attempt, waitMs: ms },
      'Webex call failed, retrying',
    );
    this.opts.onRetry?.();
    await this.sleep(ms);
  }
}

function cleanQuery(query: Query | undefined): Record<string, string> | undefined {
  if (!query) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) out[key] = String(value);
  return out;
}

function headerValue(headers: AxiosResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return value === undefined || value === null ? undefined : String(value);
}

function flatHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) if (value !== undefined && value !== null) out[key.toLowerCase()] = String(value);
  return out;
}

/** Retry-After is seconds (or an HTTP date); either way we want milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function nextLink(link: string | undefined): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}

function httpFailure(method: string, path: string, response: AxiosResponse, trackingIdHeader?: string): WebexApiError {
  const body = webexErrorBody.safeParse(response.data);
  const fields = body.success ? body.data : {};
  const descriptions = (fields.errors ?? []).map((e) => e.description).filter((d): d is string => !!d);
  const webexMessage = descriptions.length ? descriptions.join('; ') : (fields.message ?? fields.error_description);
  const trackingId = trackingIdHeader ?? fields.trackingId;
  const status = response.status;
  const summary = `Webex ${method} ${path} answered ${status}${webexMessage ? `: ${webexMessage}` : ''}${trackingId ? ` (tracking ID ${trackingId})` : ''}`;
  return new WebexApiError(summary, {
    method,
    path,
    status,
    trackingId,
    webexMessage,
    oauthError: fields.error,
    retryAfterMs: parseRetryAfter(headerValue(response.headers, 'retry-after')),
    transient: TRANSIENT_STATUSES.has(status),
  });
}

function networkFailure(method: string, path: string, err: unknown): WebexApiError {
  const code = isAxiosError(err) ? err.code : undefined;
  const reason = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timed out' : `failed (${code ?? (err instanceof Error ? err.message : 'network error')})`;
  return new WebexApiError(`Webex ${method} ${path} ${reason}`, {
    method,
    path,
    transient: code === undefined || NETWORK_CODES.has(code) || code === 'ERR_NETWORK' || code === 'ECONNABORTED',
  });
}
