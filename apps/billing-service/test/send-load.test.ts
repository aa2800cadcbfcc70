import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, startTestSmtp, stopTestService, waitFor, type TestSmtp } from '@atelier/platform/testing';
import { startBilling, type BillingHarness } from './billing-harness.js';
import { seedAgencyDetails, seedBillClient, seedContact, sha256, storedDocument } from './send-helpers.js';

// A pool of 3 connections: a request that held one while it waited for another (the blob store
// during a send) would starve the others. Sends queue their delivery instead.
let h: BillingHarness;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
  h = await startBilling({ env: { SMTP_URL: smtp.url, DATABASE_POOL_SIZE: '3' }, jobRunner: { pollMs: 50 } });
}, 60_000);
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
  await smtp.stop();
});

describe('a burst of sends on a small pool', () => {
  it('12 concurrent sends all answer, and every mail arrives with its stored PDF', async () => {
    const db = h.service.ctx.database.db;
    const owner = newPrincipal('owner');
    await seedAgencyDetails(db, owner.agencyId);
    const api = serviceClient(h.url, owner);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const clientId = await seedBillClient(db, owner.agencyId, { name: `Client ${i}` });
      await seedContact(db, owner.agencyId, clientId, { email: `burst-${i}@acme.example` });
      ids.push((await api('POST', '/api/invoices', { clientId, taxRate: '19', lineItems: [{ description: 'Work', quantity: '1', unitPrice: `${100 + i}.00` }] })).body.id);
    }
    const started = Date.now();
    const sent = await Promise.all(ids.map((id) => api('POST', `/api/invoices/${id}/send`, {})));
    expect(sent.map((r) => r.status)).toEqual(ids.map(() => 200));
    expect(new Set(sent.map((r) => r.body.number)).size).toBe(12);
    await waitFor(() => ids.every((_, i) => smtp.to(`burst-${i}@acme.example`).length === 1), 60_000, 100);
    for (const [i, id] of ids.entries()) {
      const mail = smtp.to(`burst-${i}@acme.example`)[0]!;
      const pdf = mail.parsed.attachments.find((a) => a.contentType === 'application/pdf')!;
      expect(sha256(pdf.content)).toBe((await storedDocument(db, owner.agencyId, id))!.sha256);
    }
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});
