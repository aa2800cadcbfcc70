import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Role } from '@atelier/contracts';
import type { Db, Tx } from '@atelier/platform';
import { invitations, users } from '../db/schema.js';

export type InvitationRow = typeof invitations.$inferSelect;
export interface PendingInvitationRow extends InvitationRow {
  invitedByName: string;
}

/** An invitation found by its secret, before the agency is known (a definer function). */
export type InvitationByToken = {
  id: string;
  agency_id: string;
  agency_name: string;
  email: string;
  role: Role;
  expires_at: string;
  accepted_at: string | null;
};

export async function findInvitationByToken(db: Db | Tx, tokenHash: string): Promise<InvitationByToken | null> {
  const rows = await db.execute<InvitationByToken>(sql`select * from identity.find_invitation(${tokenHash})`);
  return rows[0] ?? null;
}

export async function insertInvitation(
  tx: Tx,
  i: { agencyId: string; email: string; role: Role; tokenHash: string; invitedBy: string; ttlDays: number },
): Promise<InvitationRow> {
  const [row] = await tx
    .insert(invitations)
    .values({ agencyId: i.agencyId, email: i.email, role: i.role, tokenHash: i.tokenHash, invitedBy: i.invitedBy, expiresAt: sql`now() + make_interval(days => ${i.ttlDays})` })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Invitations of the pinned agency not yet accepted (expired ones too, so they can be resent). */
export async function listPendingInvitations(tx: Tx): Promise<PendingInvitationRow[]> {
  const rows = await tx
    .select({ invitation: invitations, invitedByName: users.name })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(isNull(invitations.acceptedAt))
    .orderBy(desc(invitations.createdAt), desc(invitations.id));
  return rows.map((r) => ({ ...r.invitation, invitedByName: r.invitedByName }));
}

export async function deletePendingInvitation(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx.delete(invitations).where(and(eq(invitations.id, id), isNull(invitations.acceptedAt))).returning({ id: invitations.id });
  return rows.length > 0;
}

/** A new secret and expiry for a pending invitation: the old link stops working. */
export async function renewInvitation(tx: Tx, id: string, tokenHash: string, ttlDays: number): Promise<InvitationRow | undefined> {
  const [row] = await tx
    .update(invitations)
    .set({ tokenHash, expiresAt: sql`now() + make_interval(days => ${ttlDays})` })
    .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)))
    .returning();
  return row;
}

/** Marks the invitation accepted unless someone else did first; returns whether this call won. */
export async function markAccepted(tx: Tx, id: string): Promise<boolean> {
  const rows = await tx
    .update(invitations)
    .set({ acceptedAt: sql`now()` })
    .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt), sql`${invitations.expiresAt} > now()`))
    .returning({ id: invitations.id });
  return rows.length > 0;
}
