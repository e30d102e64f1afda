import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from './bodies';
import type { SimContext } from './context';
import { WebexHttpError } from './http';
import { queryList, queryString, sendPage } from './pagination';
import type { SimPerson, WebexSimState } from './state';
import { personJson } from './views';

const personUpdateBody = z.object({
  displayName: z.string().min(1),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  emails: z.array(z.string()).optional(),
});

function requirePerson(state: WebexSimState, personId: string): SimPerson {
  const person = state.people.get(personId);
  if (!person) throw new WebexHttpError(404, 'Person not found.');
  return person;
}

export function peopleRoutes(ctx: SimContext): Router {
  const { state, settings } = ctx;
  const router = Router();

  router.get('/people', (req, res) => {
    const email = queryString(req, 'email')?.toLowerCase();
    const orgId = queryString(req, 'orgId');
    const ids = queryList(req, 'id');
    const items = [...state.people.values()].filter(
      (p) =>
        (email === undefined || p.emails.some((e) => e.toLowerCase() === email)) &&
        (orgId === undefined || p.orgId === orgId) &&
        (ids === undefined || ids.includes(p.id)),
    );
    sendPage(req, res, items.map(personJson), settings.pageSize);
  });

  router.get('/people/:personId', (req, res) => {
    res.json(personJson(requirePerson(state, req.params.personId)));
  });

  /** Spec: every detail in the body, displayName required; a wholesale subscriber's e-mail stays what it is. */
  router.put('/people/:personId', (req, res) => {
    const person = requirePerson(state, req.params.personId);
    const body = parseBody(personUpdateBody, req.body);
    const emails = body.emails?.map((e) => e.toLowerCase());
    if (emails && (emails.length !== 1 || !person.emails.some((e) => e.toLowerCase() === emails[0]))) {
      throw new WebexHttpError(400, 'The email of a wholesale subscriber cannot be changed.');
    }
    Object.assign(person, { displayName: body.displayName, firstName: body.firstName, lastName: body.lastName });
    res.json(personJson(person));
  });

  router.delete('/people/:personId', (req, res) => {
    state.people.delete(requirePerson(state, req.params.personId).id);
    res.status(204).end();
  });

  return router;
}
