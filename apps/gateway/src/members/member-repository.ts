import { asc, count, eq, sql } from 'drizzle-orm';
import type { Role } from '@atelier/contracts';
import type { Tx } from '@atelier/platform';
import { memberships, users } from '../db/schema.js';

const memberColumns = { userId: memberships.userId, name: users.name, email: users.email, role: memberships.role, version: memberships.version };
export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  role: Role;
  version: number;
}

const nextVersion = sql<number>`nextval('identity.member_versions')`;

export async function listMembers(tx: Tx): Promise<MemberRow[]> {
  return tx.select(memberColumns).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).orderBy(asc(users.name), asc(users.id));
}

export async function findMember(tx: Tx, userId: string, lock = false): Promise<MemberRow | undefined> {
  // Locks the membership row only (the user row belongs to every agency of the user).
  if (lock) await tx.select({ userId: memberships.userId }).from(memberships).where(eq(memberships.userId, userId)).for('update');
  const [row] = await tx.select(memberColumns).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.userId, userId));
  return row;
}

export async function findMemberByEmail(tx: Tx, email: string): Promise<MemberRow | undefined> {
  const [row] = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row;
}

/** Adds the membership unless it exists; returns the new member, or undefined when they were one already. */
export async function insertMembership(tx: Tx, m: { agencyId: string; userId: string; role: Role }): Promise<MemberRow | undefined> {
  const inserted = await tx.insert(memberships).values(m).onConflictDoNothing().returning({ userId: memberships.userId });
  return inserted.length ? findMember(tx, m.userId) : undefined;
}

export async function updateRole(tx: Tx, userId: string, role: Role): Promise<MemberRow | undefined> {
  await tx.update(memberships).set({ role, version: nextVersion }).where(eq(memberships.userId, userId));
  return findMember(tx, userId);
}

/** A new version for the member without another change (their name changed). */
export async function bumpMemberVersion(tx: Tx, userId: string): Promise<MemberRow | undefined> {
  await tx.update(memberships).set({ version: nextVersion }).where(eq(memberships.userId, userId));
  return findMember(tx, userId);
}

/** Deletes the membership; returns the version its removal event carries. */
export async function deleteMembership(tx: Tx, userId: string): Promise<number> {
  await tx.delete(memberships).where(eq(memberships.userId, userId));
  const [row] = await tx.execute<{ v: string }>(sql`select nextval('identity.member_versions') as v`);
  return Number(row?.v);
}

export async function countOwners(tx: Tx): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(memberships).where(eq(memberships.role, 'owner'));
  return row?.n ?? 0;
}
