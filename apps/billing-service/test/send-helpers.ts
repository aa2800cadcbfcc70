import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { INTERNAL_TOKEN_HEADER, signInternalToken, tenantTx, type Db } from '@atelier/platform';
import { TEST_INTERNAL_SECRET } from '@atelier/platform/testing';
import { agencies, clients, contacts, invoiceDocuments } from '../src/db/schema.js';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The agency replica as identity's events make it, with the details an invoice prints. */
export async function seedAgencyDetails(db: Db, agencyId: string, fields: Partial<typeof agencies.$inferInsert> = {}): Promise<void> {
  await tenantTx(db, agencyId, (tx) =>
    tx
      .insert(agencies)
      .values({
        id: agencyId,
        agencyId,
        name: 'Studio Nord GmbH',
        timezone: 'Europe/Berlin',
        currency: 'EUR',
        email: 'billing@studio-nord.example',
        address: 'Torstraße 12\n10119 Berlin',
        country: 'DE',
        taxId: 'DE123456789',
        version: 1,
        ...fields,
      })
      .onConflictDoUpdate({ target: agencies.id, set: { ...fields, version: 2 } }),
  );
}

export async function updateAgency(db: Db, agencyId: string, fields: Partial<typeof agencies.$inferInsert>): Promise<void> {
  await tenantTx(db, agencyId, (tx) => tx.update(agencies).set(fields).where(eq(agencies.id, agencyId)));
}

/** A client of the CRM replica with an email and an address. */
export async function seedBillClient(db: Db, agencyId: string, fields: Partial<typeof clients.$inferInsert> = {}): Promise<string> {
  const id = randomUUID();
  await tenantTx(db, agencyId, (tx) =>
    tx.insert(clients).values({
      id,
      agencyId,
      name: 'Acme Corporation',
      email: 'accounts@acme.example',
      addressLine1: '1 Market Street',
      city: 'San Francisco',
      postalCode: '94105',
      country: 'US',
      currency: 'EUR',
      isActive: true,
      version: 1,
      updatedAt: new Date(),
      ...fields,
    }),
  );
  return id;
}

export async function seedContact(db: Db, agencyId: string, clientId: string, fields: Partial<typeof contacts.$inferInsert> = {}): Promise<string> {
  const id = randomUUID();
  await tenantTx(db, agencyId, (tx) =>
    tx.insert(contacts).values({ id, agencyId, clientId, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@acme.example', isPrimary: true, version: 1, updatedAt: new Date(), ...fields }),
  );
  return id;
}

export async function storedDocument(db: Db, agencyId: string, invoiceId: string) {
  const [row] = await tenantTx(db, agencyId, (tx) => tx.select().from(invoiceDocuments).where(eq(invoiceDocuments.invoiceId, invoiceId)));
  return row;
}

/** Calls a public route as the gateway does for a visitor (the system principal), or with a forwarded session. */
export async function publicGet(baseUrl: string, path: string, session?: { userId: string; agencyId: string; role: 'owner' | 'admin' | 'manager' | 'member' }) {
  const token = signInternalToken(TEST_INTERNAL_SECRET, session ? { ...session, aud: 'billing' } : { system: true, aud: 'billing' });
  const res = await fetch(`${baseUrl}${path}`, { headers: { [INTERNAL_TOKEN_HEADER]: token } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const body: any = type.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: res.status, headers: res.headers, bytes, body };
}

/** GET of a staff route returning bytes (the PDF). */
export async function getBytes(baseUrl: string, path: string, token: string) {
  const res = await fetch(`${baseUrl}${path}`, { headers: { [INTERNAL_TOKEN_HEADER]: token } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
