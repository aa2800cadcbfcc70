import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@atelier/platform';
import { users } from '../db/schema.js';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Db | Tx, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row;
}

export async function findUserById(db: Db | Tx, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function insertUser(tx: Tx, u: { email: string; name: string; passwordHash: string }): Promise<UserRow> {
  const [row] = await tx.insert(users).values(u).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function setUserName(tx: Tx, id: string, name: string): Promise<void> {
  await tx.update(users).set({ name }).where(eq(users.id, id));
}

export async function setPasswordHash(tx: Tx, id: string, passwordHash: string): Promise<void> {
  await tx.update(users).set({ passwordHash }).where(eq(users.id, id));
}
