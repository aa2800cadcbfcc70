import { randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import type { EventEnvelope, InvoicedTimeEntry } from '@atelier/contracts';
import { tenantTx, type Db } from '@atelier/platform';
import { agencies, clients, outbox } from '../src/db/schema.js';

/** A client row as the CRM replica consumer writes it (that path has its own tests). */
export async function seedClient(db: Db, agencyId: string, fields: { currency?: string; name?: string; deleted?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  await tenantTx(db, agencyId, (tx) =>
    tx.insert(clients).values({
      id,
      agencyId,
      name: fields.name ?? 'ACME Corp',
      currency: fields.currency ?? 'EUR',
      isActive: true,
      deletedAt: fields.deleted ? new Date() : null,
      version: 1,
      updatedAt: new Date(),
    }),
  );
  return id;
}

export async function seedAgency(db: Db, agencyId: string, timezone: string, currency = 'EUR'): Promise<void> {
  await tenantTx(db, agencyId, (tx) => tx.insert(agencies).values({ id: agencyId, agencyId, name: 'Agency', timezone, currency, version: 1 }));
}

/** The events the service wrote to its outbox for the agency, oldest first. */
export async function outboxEvents(db: Db, agencyId: string, name?: string): Promise<EventEnvelope[]> {
  const rows = await tenantTx(db, agencyId, (tx) => tx.select({ envelope: outbox.envelope }).from(outbox).orderBy(asc(outbox.seq)));
  return rows.map((r) => r.envelope as EventEnvelope).filter((e) => !name || e.name === name);
}

/** A time entry as h-unbilled's from-time would reserve it. */
export const timeEntry = (fields: Partial<InvoicedTimeEntry> = {}): InvoicedTimeEntry => ({
  timeEntryId: randomUUID(),
  version: 1,
  roundedMinutes: 60,
  hourlyRate: '100.00',
  amount: '100.00',
  ...fields,
});
