import axios, { AxiosInstance, AxiosResponse, Method, isAxiosError } from 'axios';
import { observeCalls } from '../metrics/httpCalls';
import type { CallObserver } from '../metrics/observers';
import { AppDirectError, errorForNoAnswer } from './appDirectError';
import { nestsDeeperThan } from './jsonDepth';

/** AppDirect's events nest a handful of levels; anything far deeper is not an event. */
export const MAX_JSON_DEPTH = 64;

/**
 * The HTTP client for calls to AppDirect. Every status comes back as a response so that the caller
 * classifies it; bodies stay text so a non-JSON answer can be told apart from a JSON one. An answer larger
 * than maxResponseBytes is cut off as soon as it passes the limit (after decompression), never held whole.
 */
export function createAppDirectHttp(opts: { timeoutMs: number; maxResponseBytes: number; onCall?: CallObserver }): AxiosInstance {
  const http = axios.create({
    timeout: opts.timeoutMs,
    maxRedirects: 0,
    maxContentLength: opts.maxResponseBytes,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: (data: unknown) => data,
  });
  if (opts.onCall) observeCalls(http, opts.onCall);
  return http;
}

export async function send(
  http: AxiosInstance,
  request: { method: Method; url: string; headers: Record<string, string>; data?: unknown },
  action: string,
): Promise<AxiosResponse<string>> {
  try {
    return await http.request<string>(request);
  } catch (error) {
    if (!isAxiosError(error)) throw error;
    const limit = http.defaults.maxContentLength ?? -1;
    // axios names no code of its own for this case; its message is the one sign.
    if (limit > -1 && error.code === 'ERR_BAD_RESPONSE' && error.message.includes('maxContentLength')) {
      throw new AppDirectError('invalid_response', `${action} failed: AppDirect's answer is larger than ${limit} bytes (APPDIRECT_MAX_EVENT_BYTES); it was not read further`);
    }
    throw errorForNoAnswer(action, error, http.defaults.timeout ?? 0);
  }
}

export function jsonBody(response: AxiosResponse<string>, action: string): unknown {
  if (nestsDeeperThan(response.data, MAX_JSON_DEPTH)) {
    throw new AppDirectError('invalid_response', `${action} failed: AppDirect answered JSON nested deeper than ${MAX_JSON_DEPTH} levels`, { status: response.status });
  }
  try {
    return JSON.parse(response.data);
  } catch {
    const contentType = String(response.headers['content-type'] ?? 'none').split(';')[0];
    throw new AppDirectError(
      'invalid_response',
      `${action} failed: AppDirect answered HTTP ${response.status} with a body that is not JSON (content-type ${contentType})`,
      { status: response.status },
    );
  }
}
