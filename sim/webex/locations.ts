import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from './bodies';
import type { SimContext } from './context';
import { classifyExtensions, type ExtensionState } from './extensions';
import { WebexHttpError } from './http';
import { queryString, sendPage } from './pagination';
import { locationJson } from './views';

const validateExtensionsBody = z.object({ extensions: z.array(z.string()).min(1) });

/** Codes and messages for rejected extensions; the codes are the sim's own, not Webex's. */
const EXTENSION_PROBLEMS: Record<Exclude<ExtensionState, 'VALID'>, { errorCode: number; message: string }> = {
  DUPLICATE: { errorCode: 9495, message: 'The extension is already assigned at this location.' },
  DUPLICATE_IN_LIST: { errorCode: 9496, message: 'The extension appears more than once in the request.' },
  INVALID: { errorCode: 9497, message: 'An extension must be 2 to 6 digits.' },
};

/** The calling helpers documented in docs/webex.md (not in the OpenAPI files). */
export function locationRoutes(ctx: SimContext): Router {
  const { state, settings } = ctx;
  const router = Router();

  router.get('/locations', (req, res) => {
    const orgId = queryString(req, 'orgId');
    const items = [...state.locations.values()].filter((l) => orgId === undefined || l.orgId === orgId);
    sendPage(req, res, items.map(locationJson), settings.pageSize);
  });

  router.post('/telephony/config/locations/:locationId/actions/validateExtensions/invoke', (req, res) => {
    const location = state.locations.get(req.params.locationId);
    const orgId = queryString(req, 'orgId');
    if (!location || (orgId !== undefined && location.orgId !== orgId)) throw new WebexHttpError(404, 'Location not found.');
    const { extensions } = parseBody(validateExtensionsBody, req.body);
    const verdicts = classifyExtensions(state, location.id, extensions);
    if (verdicts.every((v) => v.state === 'VALID')) {
      res.json({ status: 'OK' });
      return;
    }
    const extensionStatus = verdicts.map((v) => (v.state === 'VALID' ? v : { ...v, ...EXTENSION_PROBLEMS[v.state] }));
    res.json({ status: 'ERRORS', extensionStatus });
  });

  return router;
}
