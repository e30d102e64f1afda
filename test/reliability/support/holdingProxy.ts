import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where a held request stops: before Webex sees it, or after Webex carried it out but before its answer leaves. */
export type HoldPoint = 'before-forwarding' | 'after-webex-answered';

interface Hold {
  method: string;
  /** Path below /v1, e.g. '/wholesale/subscribers'. */
  path: string;
  point: HoldPoint;
  held: (body: unknown) => void;
}

export interface HoldingProxy {
  /** Base URL to give the connector as WEBEX_API_BASE_URL. */
  url: string;
  /**
   * Holds the next matching request at `point` and resolves with its JSON body once it is held. A held
   * request is never answered: the test kills the connector, which is what makes the moment deterministic.
   */
  holdNext(method: string, path: string, point: HoldPoint): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of the Webex simulator. The simulator applies its delays before a
 * request reaches its routes, so "Webex did it but the connector never heard back" needs this proxy.
 */
export async function startHoldingProxy(webexUrl: string): Promise<HoldingProxy> {
  const target = new URL(webexUrl);
  const holds: Hold[] = [];

  const takeHold = (req: IncomingMessage) => {
    const path = (req.url ?? '').split('?')[0].replace(/^\/v1/, '');
    const index = holds.findIndex((h) => h.method === req.method && h.path === path);
    return index < 0 ? undefined : holds.splice(index, 1)[0];
  };

  const server = http.createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readAll(req);
    const hold = takeHold(req);
    if (hold?.point === 'before-forwarding') return hold.held(JSON.parse(body.toString() || 'null'));
    const upstream = await forward(target, req, body).catch(() => undefined);
    if (!upstream) return void res.socket?.destroy();
    if (hold) return hold.held(JSON.parse(body.toString() || 'null'));
    res.writeHead(upstream.status, upstream.headers);
    res.end(upstream.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    holdNext: (method, path, point) => new Promise((held) => holds.push({ method, path, point, held })),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** Sends the request on unchanged (Host included, so the links Webex returns still point at the proxy). */
function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => readAll(answer).then((data) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: data }), reject),
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}
