import axios, { AxiosInstance, AxiosResponse, Method, isAxiosError } from 'axios';
import { observeCalls } from '../metrics/httpCalls';
import type { CallObserver } from '../metrics/observers';
import { AppDirectError, errorForNoAnswer } from './appDirectError';

/**
 * The HTTP client for calls to AppDirect. Every status comes back as a response so that the caller
 * classifies it; bodies stay text so a non-JSON answer can be told apart from a JSON one.
 */
export function createAppDirectHttp(timeoutMs: number, onCall?: CallObserver): AxiosInstance {
  const http = axios.create({
    timeout: timeoutMs,
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: (data: unknown) => data,
  });
  if (onCall) observeCalls(http, onCall);
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
    throw errorForNoAnswer(action, error, http.defaults.timeout ?? 0);
  }
}

export function jsonBody(response: AxiosResponse<string>, action: string): unknown {
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
