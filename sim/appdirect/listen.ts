import type { Express } from 'express';
import type { AddressInfo } from 'node:net';

/** Starts an express app on the loopback interface only: the simulators are never reachable from outside. */
export function listenOnLoopback(app: Express, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', (error?: Error) => {
      if (error) return reject(error);
      const { port: actualPort } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${actualPort}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections would otherwise hold close() open until they time out.
            server.closeAllConnections();
          }),
      });
    });
  });
}
