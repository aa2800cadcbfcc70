import { eq } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { agencies, clients, invoiceDocuments } from '../db/schema.js';

export type AgencyRow = typeof agencies.$inferSelect;
export type ClientRow = typeof clients.$inferSelect;
export type InvoiceDocumentRow = typeof invoiceDocuments.$inferSelect;

/** The agency replica (null until identity's first event reached billing). */
export async function selectAgency(tx: Tx, agencyId: string): Promise<AgencyRow | undefined> {
  const [row] = await tx.select().from(agencies).where(eq(agencies.id, agencyId));
  return row;
}

export async function selectClient(tx: Tx, clientId: string): Promise<ClientRow | undefined> {
  const [row] = await tx.select().from(clients).where(eq(clients.id, clientId));
  return row;
}

/** The PDF stored when the invoice was first sent. */
export async function selectStoredDocument(tx: Tx, invoiceId: string): Promise<InvoiceDocumentRow | undefined> {
  const [row] = await tx.select().from(invoiceDocuments).where(eq(invoiceDocuments.invoiceId, invoiceId));
  return row;
}

export async function insertStoredDocument(tx: Tx, row: typeof invoiceDocuments.$inferInsert): Promise<void> {
  await tx.insert(invoiceDocuments).values(row);
}
