import { Router } from 'express';
import { CreateTokenBody } from '@atelier/contracts';
import { principalOf, uuidParam, validate } from '@atelier/platform';
import { requestContext } from '../identity/client.js';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { createToken, listOwnTokens, revokeOwnToken } from './token-service.js';

export function tokenRoutes(deps: IdentityDeps): Router {
  const r = Router();

  r.post('/api/auth/tokens', async (req, res) => {
    const created = await createToken(deps, principalOf(res), validate(CreateTokenBody, req.body), requestContext(req));
    res.status(201).json(created);
  });

  r.get('/api/auth/tokens', async (_req, res) => {
    const data = await listOwnTokens(deps, principalOf(res));
    res.json({ data, nextCursor: null, total: data.length });
  });

  r.delete('/api/auth/tokens/:id', async (req, res) => {
    await revokeOwnToken(deps, principalOf(res), uuidParam(req.params));
    res.status(204).end();
  });

  return r;
}
