import express, { Express, NextFunction, Request, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { appDirectResultSchema } from '../../src/appdirect/results';
import type { Faults } from './faults';
import type { MarketplaceAuth } from './marketplaceAuth';
import { toXml } from './xml';

export type TimelineKind = 'notify' | 'notify-answer' | 'token' | 'event-fetch' | 'result';

/** What the marketplace routes read and write; owned by the simulator. */
export interface MarketplaceState {
  url: string;
  events: Map<string, Record<string, unknown>>;
  results: Array<{ token: string; body: unknown; at: number }>;
  counts: { tokenRequests: number; eventFetches: number; requests: number };
  record(kind: TimelineKind, token: string | undefined, detail: string): void;
  onResult(token: string, body: unknown): void;
}

const EVENTS_PATH = '/api/integration/v1/events';

export function createMarketplaceApp(state: MarketplaceState, auth: MarketplaceAuth, faults: Faults, closing: AbortSignal): Express {
  const app = express();
  app.use((_req, _res, next) => {
    state.counts.requests += 1;
    next();
  });

  app.post('/oauth2/token', express.urlencoded({ extended: false }), (req, res) => {
    state.counts.tokenRequests += 1;
    const fault = faults.takeToken();
    if (fault) {
      state.record('token', undefined, `token request answered with injected HTTP ${fault.status}`);
      res.status(fault.status).json({ error: 'injected_fault' });
      return;
    }
    const verdict = auth.checkTokenRequest(req);
    if (!verdict.ok) {
      state.record('token', undefined, `token request refused: ${verdict.reason}`);
      res.status(401).json({ error: 'invalid_client', error_description: verdict.reason });
      return;
    }
    const expiresIn = auth.tokenTtlSeconds;
    state.record('token', undefined, `issued an access token valid ${expiresIn} s`);
    res.json({ access_token: auth.issueToken(), token_type: 'bearer', expires_in: expiresIn, scope: 'ROLE_APPLICATION' });
  });

  app.get(`${EVENTS_PATH}/:token`, async (req: Request<{ token: string }>, res) => {
    const { token } = req.params;
    state.counts.eventFetches += 1;
    const refusal = await refuseUnauthorized(req, res, token, 'event-fetch');
    if (refusal) return;

    const fault = faults.takeEvent(token);
    if (fault?.delayMs !== undefined && !(await delay(fault.delayMs, closing))) return;
    if (fault?.status !== undefined) {
      state.record('event-fetch', token, `answered with injected HTTP ${fault.status}`);
      res.status(fault.status).json({ error: 'injected_fault' });
      return;
    }
    if (fault?.malformed) {
      state.record('event-fetch', token, 'answered with an injected malformed body');
      res.status(200).type('application/json').send('{"type": "SUBSCRIPTION_ORD');
      return;
    }

    if (fault?.body !== undefined) {
      state.record('event-fetch', token, `answered with an injected body of ${fault.body.length} characters`);
      res.status(200).type('application/json').send(fault.body);
      return;
    }
    if (fault?.endless) {
      sendEndlessBody(res, (bytes) => state.record('event-fetch', token, `the client hung up an endless body after ${bytes} bytes`));
      return;
    }

    const event = state.events.get(token);
    if (!event) {
      state.record('event-fetch', token, 'unknown event token: 404');
      res.status(404).json({ error: 'event not found' });
      return;
    }
    // Like the real marketplace: JSON only for clients that ask for it.
    const wantsJson = (req.get('accept') ?? '').includes('application/json');
    state.record('event-fetch', token, `served ${String(event.type)} as ${wantsJson ? 'JSON' : 'XML'}`);
    if (wantsJson) res.json(event);
    else res.type('application/xml').send(toXml('event', event));
  });

  app.post(`${EVENTS_PATH}/:token/result`, express.json(), async (req: Request<{ token: string }>, res) => {
    const { token } = req.params;
    const refusal = await refuseUnauthorized(req, res, token, 'result');
    if (refusal) return;

    const fault = faults.takeResult();
    if (fault) {
      state.record('result', token, `answered with injected HTTP ${fault.status}`);
      if (fault.retryAfterSeconds !== undefined) res.set('Retry-After', String(fault.retryAfterSeconds));
      res.status(fault.status).json({ error: 'injected_fault' });
      return;
    }
    if (!state.events.has(token)) {
      state.record('result', token, 'result for an unknown event token: 404');
      res.status(404).json({ error: 'event not found' });
      return;
    }
    const checked = appDirectResultSchema.safeParse(req.body);
    if (!checked.success) {
      state.record('result', token, 'refused an invalid result: 400');
      res.status(400).json({ error: 'invalid result', issues: checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) });
      return;
    }
    state.record('result', token, `received ${JSON.stringify(checked.data)}`);
    state.onResult(token, checked.data);
    res.status(204).end();
  });

  // Unparseable JSON or forms: answer like an API, not with express's HTML error page.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    res.status(400).json({ error: 'malformed request body' });
  });

  async function refuseUnauthorized(req: Request, res: Response, token: string, kind: TimelineKind): Promise<boolean> {
    const verdict = await auth.checkApiRequest(req, state.url);
    if (verdict.ok) return false;
    state.record(kind, token, `refused: ${verdict.reason}`);
    res.status(401).json({ error: 'unauthorized', reason: verdict.reason });
    return true;
  }

  return app;
}

/** Writes JSON padding as fast as the client reads it, for as long as it reads; tells how much it took. */
function sendEndlessBody(res: Response, onHangUp: (bytes: number) => void): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let bytes = 0;
  res.status(200).type('application/json');
  const pump = () => {
    while (!res.destroyed) {
      bytes += chunk.length;
      if (!res.write(chunk)) return;
    }
  };
  res.on('drain', pump);
  res.on('close', () => onHangUp(bytes));
  res.write('{"padding":"');
  pump();
}

/** false when the simulator closed while waiting: the connection is gone, nothing left to answer. */
async function delay(ms: number, closing: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal: closing });
    return true;
  } catch {
    return false;
  }
}
