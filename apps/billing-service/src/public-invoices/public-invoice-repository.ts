import { sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';

/**
 * The invoice a public token names, before its agency is known: `billing.find_invoice_by_public_token`
 * (SECURITY DEFINER, migration 0005) returns only the row of that token hash, never a voided one.
 */
export async function findByTokenHash(tx: Tx, hash: Buffer): Promise<{ invoiceId: string; agencyId: string } | undefined> {
  const rows = await tx.execute<{ invoice_id: string; agency_id: string }>(sql`select invoice_id, agency_id from billing.find_invoice_by_public_token(${hash})`);
  const row = rows[0];
  return row ? { invoiceId: row.invoice_id, agencyId: row.agency_id } : undefined;
}
