import { Router } from 'express';
import { UpdateMemberBody } from '@atelier/contracts';
import { principalOf, uuidParam, validate } from '@atelier/platform';
import type { IdentityDeps } from '../identity/identity-deps.js';
import { changeRole, listAgencyMembers, removeMember } from './member-service.js';

export function memberRoutes(deps: IdentityDeps): Router {
  const r = Router();

  r.get('/api/auth/members', async (_req, res) => {
    const data = await listAgencyMembers(deps, principalOf(res));
    res.json({ data, nextCursor: null, total: data.length });
  });

  r.patch('/api/auth/members/:userId', async (req, res) => {
    const who = principalOf(res);
    const userId = uuidParam(req.params, 'userId');
    const { role } = validate(UpdateMemberBody, req.body);
    res.json(await changeRole(deps, who, userId, role));
  });

  r.delete('/api/auth/members/:userId', async (req, res) => {
    await removeMember(deps, principalOf(res), uuidParam(req.params, 'userId'));
    res.status(204).end();
  });

  return r;
}
