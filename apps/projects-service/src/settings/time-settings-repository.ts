import { eq, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { agencies, timeSettings } from '../db/schema.js';

export type TimeSettingsRow = typeof timeSettings.$inferSelect;

export async function selectTimeSettings(tx: Tx): Promise<TimeSettingsRow | undefined> {
  const [row] = await tx.select().from(timeSettings);
  return row;
}

/** One row per agency: the first change inserts it, later ones update it. */
export async function upsertTimeSettings(tx: Tx, row: Omit<TimeSettingsRow, 'updatedAt'>): Promise<TimeSettingsRow> {
  const [saved] = await tx
    .insert(timeSettings)
    .values(row)
    .onConflictDoUpdate({
      target: timeSettings.agencyId,
      set: { roundingMode: row.roundingMode, roundingMinutes: row.roundingMinutes, weekStartsOn: row.weekStartsOn, defaultBillable: row.defaultBillable, updatedAt: sql`now()` },
    })
    .returning();
  if (!saved) throw new Error('time settings upsert returned nothing');
  return saved;
}

/** The agency's timezone and currency from the identity replica, and the settings row (pipelined: one round trip). */
export async function selectAgencyTime(tx: Tx, agencyId: string): Promise<{ timezone: string | null; currency: string | null; settings: TimeSettingsRow | null }> {
  const [[agency], [settings]] = await Promise.all([
    tx.select({ timezone: agencies.timezone, currency: agencies.currency }).from(agencies).where(eq(agencies.id, agencyId)),
    tx.select().from(timeSettings),
  ]);
  return { timezone: agency?.timezone ?? null, currency: agency?.currency ?? null, settings: settings ?? null };
}
