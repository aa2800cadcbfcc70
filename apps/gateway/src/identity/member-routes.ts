import { Router } from 'express';
import { asc, count, eq } from 'drizzle-orm';
import { UpdateMemberBody, type Role } from '@atelier/contracts';
import { conflict, forbidden, notFound, principalOf, requireRole, uuidParam, validate, withTenant, type Db } from '@atelier/platform';
import { memberships, users } from '../db/schema.js';
import type { Authenticator } from './authenticate.js';

const memberColumns = { userId: memberships.userId, name: users.name, email: users.email, role: memberships.role };

export function memberRoutes(db: Db, auth: Authenticator): Router {
  const r = Router();

  r.get('/api/auth/members', async (_req, res) => {
    const who = principalOf(res);
    const rows = await withTenant(db, who.agencyId, (tx) =>
      tx.select(memberColumns).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).orderBy(asc(users.name), asc(users.id)),
    );
    res.json({ data: rows, nextCursor: null, total: rows.length });
  });

  r.patch('/api/auth/members/:userId', async (req, res) => {
    const who = requireRole(res, ['owner', 'admin']);
    const userId = uuidParam(req.params, 'userId');
    const { role } = validate(UpdateMemberBody, req.body);
    const updated = await withTenant(db, who.agencyId, async (tx) => {
      const [current] = await tx.select({ role: memberships.role }).from(memberships).where(eq(memberships.userId, userId)).for('update');
      if (!current) throw notFound('Member not found');
      // Only owners hand out or take away ownership, and an agency always keeps one owner.
      if ((role === 'owner' || current.role === 'owner') && who.role !== 'owner') throw forbidden('Only an owner can change ownership');
      if (current.role === 'owner' && role !== 'owner') {
        const [owners] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.role, 'owner'));
        if ((owners?.n ?? 0) <= 1) throw conflict('The agency must keep at least one owner', [{ path: 'role', message: 'cannot demote the last owner' }]);
      }
      await tx.update(memberships).set({ role }).where(eq(memberships.userId, userId));
      const [row] = await tx.select(memberColumns).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.userId, userId));
      return row;
    });
    auth.evict({ userId });
    res.json(updated satisfies { role: Role } | undefined);
  });

  return r;
}
