import { Router } from 'express';
import { CreateTokenBody } from '@atelier/contracts';
import { principalOf, validate, withTenant, type Db } from '@atelier/platform';
import { apiTokens } from '../db/schema.js';
import { newSecret } from './secrets.js';

export function tokenRoutes(db: Db): Router {
  const r = Router();
  r.post('/api/auth/tokens', async (req, res) => {
    const who = principalOf(res);
    const { name } = validate(CreateTokenBody, req.body);
    const { token, hash } = newSecret('atl');
    const [row] = await withTenant(db, who.agencyId, (tx) =>
      tx.insert(apiTokens).values({ agencyId: who.agencyId, userId: who.userId, name, tokenHash: hash }).returning({ id: apiTokens.id, name: apiTokens.name }),
    );
    if (!row) throw new Error('insert returned no row');
    res.status(201).json({ id: row.id, name: row.name, token });
  });
  return r;
}
