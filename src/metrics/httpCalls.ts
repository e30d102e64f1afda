import { performance } from 'node:perf_hooks';
import { AxiosInstance, InternalAxiosRequestConfig, isAxiosError } from 'axios';
import type { CallObserver } from './observers';

/**
 * Reports every request an axios instance sends, with its status (or none when no answer came) and
 * duration. Interceptors see each attempt, retries included, whoever in the client sent it.
 */
export function observeCalls(http: AxiosInstance, observe: CallObserver): void {
  const startedAt = new WeakMap<InternalAxiosRequestConfig, number>();
  const report = (config: InternalAxiosRequestConfig | undefined, status: number | undefined) => {
    const started = config && startedAt.get(config);
    if (!config || started === undefined) return;
    observe({ method: (config.method ?? 'get').toUpperCase(), path: pathOf(config.url), status, seconds: (performance.now() - started) / 1000 });
  };
  http.interceptors.request.use((config) => {
    startedAt.set(config, performance.now());
    return config;
  });
  http.interceptors.response.use(
    (response) => {
      report(response.config, response.status);
      return response;
    },
    (error: unknown) => {
      if (isAxiosError(error)) report(error.config, error.response?.status);
      throw error;
    },
  );
}

/** The path alone: Webex calls are relative to the base URL, AppDirect calls absolute. */
function pathOf(url: string | undefined): string {
  return new URL(url ?? '/', 'http://relative.invalid').pathname;
}
