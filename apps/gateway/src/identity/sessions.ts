import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { sessions } from '../db/schema.js';
import { newSecret } from './secrets.js';

/** Creates a server-side session inside the caller's tenant transaction; returns the cookie value. */
export async function createSession(tx: Tx, agencyId: string, userId: string, ttlHours: number): Promise<string> {
  const { token, hash } = newSecret('ses');
  await tx.insert(sessions).values({ agencyId, userId, tokenHash: hash, expiresAt: sql`now() + make_interval(hours => ${ttlHours})` });
  return token;
}

export async function deleteSession(tx: Tx, sessionId: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.id, sessionId));
}
