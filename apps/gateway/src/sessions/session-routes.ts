import { Router } from 'express';
import { uuidParam } from '@atelier/platform';
import { requireAuth } from '../identity/authenticate.js';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { listOwnSessions, revokeOtherSessions, revokeOwnSession } from './session-service.js';

export function sessionRoutes(deps: IdentityDeps): Router {
  const r = Router();

  r.get('/api/auth/sessions', async (_req, res) => {
    const data = await listOwnSessions(deps, requireAuth(res).identity);
    res.json({ data, nextCursor: null, total: data.length });
  });

  r.delete('/api/auth/sessions', async (_req, res) => {
    await revokeOtherSessions(deps, requireAuth(res).identity);
    res.status(204).end();
  });

  r.delete('/api/auth/sessions/:id', async (req, res) => {
    await revokeOwnSession(deps, requireAuth(res).identity, uuidParam(req.params));
    res.status(204).end();
  });

  return r;
}
