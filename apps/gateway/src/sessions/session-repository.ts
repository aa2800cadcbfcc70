import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { sessions } from '../db/schema.js';
import { newSecret } from '../identity/secrets.js';

export type SessionRow = typeof sessions.$inferSelect;

/** Creates a server-side session inside the caller's tenant transaction; returns the cookie value. */
export async function createSession(tx: Tx, s: { agencyId: string; userId: string; ttlHours: number; userAgent: string | null }): Promise<string> {
  const { token, hash } = newSecret('ses');
  await tx.insert(sessions).values({
    agencyId: s.agencyId,
    userId: s.userId,
    tokenHash: hash,
    userAgent: s.userAgent,
    expiresAt: sql`now() + make_interval(hours => ${s.ttlHours})`,
  });
  return token;
}

export async function deleteSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.id, sessionId));
}

/** The user's live sessions in the pinned agency, most recently used first. */
export async function listUserSessions(tx: Tx, userId: string, idleHours: number): Promise<SessionRow[]> {
  return tx
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        sql`${sessions.expiresAt} > now()`,
        sql`${sessions.lastSeenAt} > now() - make_interval(secs => ${idleHours * 3600})`,
      ),
    )
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.id));
}

/** Deletes one of the user's sessions; returns whether it existed. */
export async function deleteUserSession(tx: Tx, userId: string, sessionId: string): Promise<boolean> {
  const rows = await tx.delete(sessions).where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId))).returning({ id: sessions.id });
  return rows.length > 0;
}

/** Ends the user's sessions in the pinned agency, except `keep`; returns the ids ended. */
export async function deleteUserSessions(tx: Tx, userId: string, keep?: string): Promise<string[]> {
  const rows = await tx
    .delete(sessions)
    .where(keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId))
    .returning({ id: sessions.id });
  return rows.map((r) => r.id);
}
