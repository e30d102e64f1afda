import { Router } from 'express';
import type { SimContext } from './context';
import { WebexHttpError } from './http';
import { queryList, queryString, sendPage } from './pagination';
import type { SimPerson, WebexSimState } from './state';
import { personJson } from './views';

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

  router.delete('/people/:personId', (req, res) => {
    state.people.delete(requirePerson(state, req.params.personId).id);
    res.status(204).end();
  });

  return router;
}
