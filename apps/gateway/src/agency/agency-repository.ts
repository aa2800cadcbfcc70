import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { agencies } from '../db/schema.js';

export type AgencyRow = typeof agencies.$inferSelect;
export type AgencyChanges = Partial<Pick<AgencyRow, 'name' | 'timezone' | 'currency' | 'email' | 'phone' | 'website' | 'address' | 'taxId' | 'country' | 'logoType' | 'logo'>>;

export async function insertAgency(tx: Tx, name: string): Promise<AgencyRow> {
  const [row] = await tx.insert(agencies).values({ name }).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function findAgency(tx: Tx, id: string): Promise<AgencyRow | undefined> {
  const [row] = await tx.select().from(agencies).where(eq(agencies.id, id));
  return row;
}

/** Applies the changes and moves the version on, in one statement. */
export async function updateAgency(tx: Tx, id: string, changes: AgencyChanges): Promise<AgencyRow | undefined> {
  const [row] = await tx
    .update(agencies)
    .set({ ...changes, version: sql`${agencies.version} + 1`, updatedAt: sql`now()` })
    .where(eq(agencies.id, id))
    .returning();
  return row;
}
