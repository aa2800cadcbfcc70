import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { anyOf, type Tx } from '@atelier/platform';
import { rateCards } from '../db/schema.js';

export type RateCardRow = typeof rateCards.$inferSelect;

/**
 * The day a project's first `hourlyRate` takes effect: "given at creation it applies to all of the
 * project's time" (the contract), entries dated before the project existed included.
 */
export const FROM_THE_START = '1970-01-01';

/**
 * Sets the project-scope card effective `effectiveFrom`: a new card, or the amount of the one
 * already effective that day (a second change on one day replaces the first).
 */
export async function upsertProjectRate(tx: Tx, r: { agencyId: string; projectId: string; amount: string; currency: string; effectiveFrom: string }): Promise<void> {
  await tx
    .insert(rateCards)
    .values({ agencyId: r.agencyId, scope: 'project', projectId: r.projectId, amount: r.amount, currency: r.currency, effectiveFrom: r.effectiveFrom })
    .onConflictDoUpdate({
      target: [rateCards.agencyId, rateCards.scope, rateCards.clientId, rateCards.projectId, rateCards.userId, rateCards.effectiveFrom],
      set: { amount: sql`excluded.amount`, currency: sql`excluded.currency`, updatedAt: sql`now()` },
    });
}

/** Removes every project-scope card of a project (entries keep the rates frozen on them). */
export async function deleteProjectRates(tx: Tx, projectId: string): Promise<void> {
  await tx.delete(rateCards).where(and(eq(rateCards.scope, 'project'), eq(rateCards.projectId, projectId)));
}

/** A project's cards follow its currency (changed only while it has no time). */
export async function setProjectRatesCurrency(tx: Tx, projectId: string, currency: string): Promise<RateCardRow[]> {
  return tx
    .update(rateCards)
    .set({ currency, updatedAt: sql`now()` })
    .where(and(inArray(rateCards.scope, ['project', 'project_member']), eq(rateCards.projectId, projectId)))
    .returning();
}

/** Per project, the project-scope rate in force on `day` (the latest card effective on or before it). */
export async function projectRatesOn(tx: Tx, projectIds: string[], day: string): Promise<Map<string, string>> {
  if (projectIds.length === 0) return new Map();
  const rows = await tx
    .selectDistinctOn([rateCards.projectId], { projectId: rateCards.projectId, amount: rateCards.amount })
    .from(rateCards)
    .where(and(eq(rateCards.scope, 'project'), anyOf(rateCards.projectId, projectIds), lte(rateCards.effectiveFrom, day)))
    .orderBy(rateCards.projectId, desc(rateCards.effectiveFrom));
  return new Map(rows.flatMap((r) => (r.projectId ? [[r.projectId, r.amount] as const] : [])));
}
