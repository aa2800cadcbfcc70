import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '@atelier/platform';
import { passwordResets } from '../db/schema.js';

export async function insertPasswordReset(db: Db | Tx, r: { userId: string; tokenHash: string; ttlMinutes: number }): Promise<void> {
  await db.insert(passwordResets).values({ userId: r.userId, tokenHash: r.tokenHash, expiresAt: sql`now() + make_interval(mins => ${r.ttlMinutes})` });
}

/** Uses up a live reset link in one statement (so it works once, even raced); returns its user. */
export async function consumePasswordReset(tx: Tx, tokenHash: string): Promise<string | undefined> {
  const [row] = await tx
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordResets.tokenHash, tokenHash), isNull(passwordResets.usedAt), sql`${passwordResets.expiresAt} > now()`))
    .returning({ userId: passwordResets.userId });
  return row?.userId;
}

/** Every other open link of the user stops working once the password changed. */
export async function closePasswordResets(tx: Tx, userId: string): Promise<void> {
  await tx
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
}
