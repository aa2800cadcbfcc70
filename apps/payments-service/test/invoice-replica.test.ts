import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { stopTestService } from '@atelier/platform/testing';
import { invoices } from '../src/db/schema.js';
import { deliver, invoiceEvents, startPayments, type PaymentsHarness } from './payments-harness.js';

const QUEUE = 'payments.invoice-replica';
let h: PaymentsHarness;
let db: Db;
beforeAll(async () => {
  h = await startPayments();
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const replica = async (agencyId: string, id: string) => (await tenantTx(db, agencyId, (tx) => tx.select().from(invoices).where(eq(invoices.id, id))))[0];
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

describe('invoice replica from billing events', () => {
  it('keeps number, client, currency, total, amount due, status and the public token digest of an issued invoice', async () => {
    const agency = randomUUID();
    const inv = invoiceEvents(agency, { publicTokenDigest: digest('tok-1'), total: '1190.00' });
    await deliver(h, QUEUE, inv.issued(2));
    expect(await replica(agency, inv.invoiceId)).toMatchObject({
      clientId: inv.clientId,
      number: 'INV-2026-0007',
      currency: 'EUR',
      total: '1190.0000',
      amountDue: '1190.0000',
      status: 'sent',
      publicTokenDigest: digest('tok-1'),
      version: 2,
    });
  });

  it('the newest version wins in any order, and the digest of the issued event stays whatever its version', async () => {
    const agency = randomUUID();
    const inv = invoiceEvents(agency, { publicTokenDigest: digest('tok-2'), total: '100.00' });
    // Sent (same version as issued, written in one transaction) first, then a newer partial payment, then issued.
    await deliver(h, QUEUE, inv.sent(3), inv.partiallyPaid(5, { amountPaid: '40.00', amountDue: '60.00' }), inv.issued(3), inv.sent(4));
    expect(await replica(agency, inv.invoiceId)).toMatchObject({ status: 'partially_paid', amountDue: '60.0000', version: 5, publicTokenDigest: digest('tok-2') });
  });

  it('a void invoice keeps its figures and is void; an older event does not bring it back', async () => {
    const agency = randomUUID();
    const inv = invoiceEvents(agency, { total: '50.00' });
    await deliver(h, QUEUE, inv.issued(1), inv.voided(3), inv.sent(2));
    expect(await replica(agency, inv.invoiceId)).toMatchObject({ status: 'void', total: '50.0000', amountDue: '50.0000', version: 3 });
  });

  it('an invoice of one agency is invisible to another', async () => {
    const agency = randomUUID();
    const inv = invoiceEvents(agency);
    await deliver(h, QUEUE, inv.issued(1));
    expect(await replica(randomUUID(), inv.invoiceId)).toBeUndefined();
  });
});
