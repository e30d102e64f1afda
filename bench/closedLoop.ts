import { performance } from 'node:perf_hooks';
import type { Requester } from './requester';

/**
 * `connections` clients, each sending its next URL as soon as its previous one is answered, until `seconds`
 * have passed (or the URLs run out): the answers a second the target sustains when it is never left waiting.
 * Latency is measured from each request's sending.
 */
export async function closedLoop(requester: Requester, urls: readonly string[], connections: number, seconds: number): Promise<{ elapsedMs: number; ranOut: boolean }> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  let next = 0;
  let ranOut = false;
  const client = async () => {
    while (performance.now() < deadline) {
      if (next >= urls.length) {
        ranOut = true;
        return;
      }
      await requester.send(urls[next++]!, performance.now());
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  return { elapsedMs: performance.now() - start, ranOut };
}
