import { Router } from 'express';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { AcceptInvitationBody, CreateInvitationBody } from '@atelier/contracts';
import { conflict, forbidden, notFound, pinTenant, requireRole, unauthorized, validate, withTenant, type Db } from '@atelier/platform';
import type { GatewayConfig } from '../config.js';
import { invitations, memberships, users } from '../db/schema.js';
import { isUniqueViolation, emailTaken } from './auth-routes.js';
import { requireAuth } from './authenticate.js';
import { findInvitation } from './identity-queries.js';
import { hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.js';
import { setSessionCookie } from './session-cookie.js';
import { createSession } from './sessions.js';

const INVITATION_TTL_DAYS = 7;

export function invitationRoutes(db: Db, config: GatewayConfig): Router {
  const r = Router();

  r.post('/api/auth/invitations', async (req, res) => {
    const { identity } = requireAuth(res);
    requireRole(res, ['owner', 'admin']);
    const body = validate(CreateInvitationBody, req.body);
    if (body.role === 'owner' && identity.role !== 'owner') throw forbidden('Only an owner can invite another owner');
    const { token, hash } = newSecret('inv');
    const [row] = await withTenant(db, identity.agencyId, async (tx) => {
      const [member] = await tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(sql`lower(${users.email}) = ${body.email}`);
      if (member) throw conflict('This person is already a member', [{ path: 'email', message: 'is already a member of this agency' }]);
      return tx
        .insert(invitations)
        .values({
          agencyId: identity.agencyId,
          email: body.email,
          role: body.role,
          tokenHash: hash,
          invitedBy: identity.userId,
          expiresAt: sql`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
        })
        .returning();
    });
    if (!row) throw new Error('insert returned no row');
    res.status(201).json({ id: row.id, token, email: row.email, role: row.role, expiresAt: row.expiresAt.toISOString() });
  });

  r.post('/api/auth/invitations/:token/accept', async (req, res) => {
    const body = validate(AcceptInvitationBody, req.body);
    const invitation = await findInvitation(db, hashSecret(String(req.params.token)));
    if (!invitation) throw notFound('Invitation not found');
    if (invitation.accepted_at) throw conflict('This invitation has already been accepted');
    if (new Date(invitation.expires_at) < new Date()) throw conflict('This invitation has expired');

    const [existing] = await db.select().from(users).where(sql`lower(${users.email}) = ${invitation.email}`);
    if (existing && !(await verifyPassword(existing.passwordHash, body.password))) {
      throw unauthorized('This email already has an account: enter its password to join');
    }
    const passwordHash = existing ? existing.passwordHash : await hashPassword(body.password);
    const result = await db
      .transaction(async (tx) => {
        const user =
          existing ?? (await tx.insert(users).values({ email: invitation.email, name: body.name, passwordHash }).returning())[0];
        if (!user) throw new Error('insert returned no row');
        await pinTenant(tx, invitation.agency_id);
        const accepted = await tx
          .update(invitations)
          .set({ acceptedAt: sql`now()` })
          .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
          .returning({ id: invitations.id });
        if (accepted.length === 0) throw conflict('This invitation has already been accepted');
        await tx.insert(memberships).values({ agencyId: invitation.agency_id, userId: user.id, role: invitation.role }).onConflictDoNothing();
        const token = await createSession(tx, invitation.agency_id, user.id, config.SESSION_TTL_HOURS);
        return { user, token };
      })
      .catch((err) => {
        throw isUniqueViolation(err) ? emailTaken() : err;
      });
    const [membership] = await withTenant(db, invitation.agency_id, (tx) =>
      tx.execute<{ role: string; agency_name: string }>(
        sql`select m.role, a.name as agency_name from identity.memberships m join identity.agencies a on a.id = m.agency_id where m.user_id = ${result.user.id}`,
      ),
    );
    setSessionCookie(config, res, result.token);
    res.status(201).json({
      user: { id: result.user.id, name: result.user.name, email: result.user.email },
      agency: { id: invitation.agency_id, name: membership?.agency_name ?? '' },
      role: membership?.role ?? invitation.role,
    });
  });

  return r;
}
