import { sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { invoicingSettings } from '../db/schema.js';

export type InvoicingSettingsRow = typeof invoicingSettings.$inferSelect;
export type InvoicingSettingsColumns = Omit<InvoicingSettingsRow, 'agencyId' | 'updatedAt'>;

/** The agency's row (RLS pins the agency); none until the first change. */
export async function selectInvoicingSettings(tx: Tx): Promise<InvoicingSettingsRow | undefined> {
  const [row] = await tx.select().from(invoicingSettings);
  return row;
}

/** One row per agency: the first change inserts it, later ones update it. */
export async function upsertInvoicingSettings(tx: Tx, agencyId: string, cols: InvoicingSettingsColumns): Promise<InvoicingSettingsRow> {
  const [saved] = await tx
    .insert(invoicingSettings)
    .values({ ...cols, agencyId })
    .onConflictDoUpdate({ target: invoicingSettings.agencyId, set: { ...cols, updatedAt: sql`now()` } })
    .returning();
  if (!saved) throw new Error('invoicing settings upsert returned nothing');
  return saved;
}
