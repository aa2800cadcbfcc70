import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { apiTokens } from '../db/schema.js';

export type TokenRow = typeof apiTokens.$inferSelect;

export async function insertToken(tx: Tx, t: { agencyId: string; userId: string; name: string; tokenHash: string; expiresInDays?: number }): Promise<TokenRow> {
  const [row] = await tx
    .insert(apiTokens)
    .values({
      agencyId: t.agencyId,
      userId: t.userId,
      name: t.name,
      tokenHash: t.tokenHash,
      expiresAt: t.expiresInDays ? sql`now() + make_interval(days => ${t.expiresInDays})` : null,
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** The user's tokens in the pinned agency that still work (not revoked; expired ones are listed until revoked). */
export async function listUserTokens(tx: Tx, userId: string): Promise<TokenRow[]> {
  return tx
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

export async function revokeUserToken(tx: Tx, userId: string, tokenId: string): Promise<boolean> {
  const rows = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length > 0;
}

/** Revokes every token of the user in the pinned agency (the member was removed). */
export async function revokeAllUserTokens(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.map((r) => r.id);
}
