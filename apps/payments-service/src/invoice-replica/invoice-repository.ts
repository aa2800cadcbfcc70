import { and, eq, sql } from 'drizzle-orm';
import { sendUnawaited, type Tx } from '@atelier/platform';
import { invoices } from '../db/schema.js';

export interface InvoiceFacts {
  id: string;
  clientId: string;
  number: string | null;
  currency: string;
  total: string | null;
  amountDue: string | null;
  status: string;
  publicTokenDigest: string | null;
  version: number;
}

/**
 * The newest version wins for the figures and the status. The public token digest is only on
 * the issued event, which billing writes in the same transaction as the first send (both may
 * carry one version, in either order): it is kept once known, whatever the version. A null
 * figure (a void event, an issued event from before they were added) keeps the one held, and a
 * figure still unknown is taken from an older event that arrives later: a void event applied
 * before the issued event (consumers apply concurrent groups in either order) still ends with
 * the invoice's figures.
 */
export async function upsertInvoiceFacts(tx: Tx, agencyId: string, f: InvoiceFacts): Promise<void> {
  const newer = sql`${invoices.version} < excluded.version`;
  const pick = (column: string) =>
    sql.raw(`case when payments.invoices.version < excluded.version then coalesce(excluded.${column}, payments.invoices.${column}) else coalesce(payments.invoices.${column}, excluded.${column}) end`);
  // Nothing waits for its answer: it goes out with the COMMIT.
  await sendUnawaited(
    tx,
    tx
      .insert(invoices)
      .values({ id: f.id, agencyId, clientId: f.clientId, number: f.number, currency: f.currency, total: f.total, amountDue: f.amountDue, status: f.status, publicTokenDigest: f.publicTokenDigest, version: f.version })
      .onConflictDoUpdate({
        target: invoices.id,
        set: {
          number: pick('number'),
          total: pick('total'),
          amountDue: pick('amount_due'),
          currency: sql`case when ${newer} then excluded.currency else ${invoices.currency} end`,
          status: sql`case when ${newer} then excluded.status else ${invoices.status} end`,
          publicTokenDigest: sql`coalesce(${invoices.publicTokenDigest}, excluded.public_token_digest)`,
          version: sql`greatest(${invoices.version}, excluded.version)`,
          updatedAt: sql`case when ${newer} then now() else ${invoices.updatedAt} end`,
        },
      }),
  );
}

export type InvoiceRow = typeof invoices.$inferSelect;

export async function selectInvoice(tx: Tx, id: string): Promise<InvoiceRow | undefined> {
  const [row] = await tx.select().from(invoices).where(eq(invoices.id, id));
  return row;
}

export async function selectInvoiceForUpdate(tx: Tx, id: string): Promise<InvoiceRow | undefined> {
  const [row] = await tx.select().from(invoices).where(and(eq(invoices.id, id))).for('update');
  return row;
}

/** The invoice and agency a public token's digest names (a definer lookup: the agency is not known yet). */
export async function findInvoiceByTokenDigest(tx: Tx, digest: string): Promise<{ invoiceId: string; agencyId: string } | undefined> {
  const rows = await tx.execute<{ invoice_id: string; agency_id: string }>(sql`select invoice_id, agency_id from payments.find_invoice_by_public_token(${digest})`);
  const row = rows[0];
  return row ? { invoiceId: row.invoice_id, agencyId: row.agency_id } : undefined;
}
