import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { and, asc, eq } from 'drizzle-orm';
import type { EventEnvelope } from '@atelier/contracts';
import { createTestDatabase, publishEnvelopes, testEnv, testNamespace, waitFor, type TestDatabase } from '@atelier/platform/testing';
import { tenantTx, type Db, type Service } from '@atelier/platform';
import { loadPaymentsConfig, type PaymentsConfig } from '../src/config.js';
import { inbox, outbox } from '../src/db/schema.js';
import { buildPaymentsService } from '../src/payments-service.js';

export const paymentsMigrations = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface PaymentsHarness {
  db: TestDatabase;
  service: Service<PaymentsConfig>;
  url: string;
  namespace: string;
}

export async function startPayments(options: { db?: TestDatabase; namespace?: string; env?: Record<string, string> } = {}): Promise<PaymentsHarness> {
  const db = options.db ?? (await createTestDatabase({ payments: paymentsMigrations }));
  const namespace = options.namespace ?? testNamespace();
  const service = buildPaymentsService(loadPaymentsConfig(testEnv('payments', db, namespace, options.env)));
  const server = await service.start();
  return { db, service, url: server.url, namespace };
}

export const envelope = (agencyId: string, name: string, payload: unknown): EventEnvelope => ({
  id: randomUUID(),
  name,
  occurredAt: new Date().toISOString(),
  agencyId,
  actorId: null,
  payload,
  trace: {},
});

/** Publishes the events and waits until the queue's consumer has recorded each in its inbox. */
export async function deliver(h: PaymentsHarness, queue: string, ...events: EventEnvelope[]): Promise<void> {
  const db = h.service.ctx.database.db;
  await publishEnvelopes(h.service.ctx.bus, events);
  for (const event of events) {
    await waitFor(async () => tenantTx(db, event.agencyId, async (tx) => (await tx.select().from(inbox).where(and(eq(inbox.consumer, queue), eq(inbox.eventId, event.id)))).length === 1));
  }
}

/** The events the service wrote to its outbox for the agency, oldest first. */
export async function outboxEvents(db: Db, agencyId: string, name?: string): Promise<EventEnvelope[]> {
  const rows = await tenantTx(db, agencyId, (tx) => tx.select({ envelope: outbox.envelope }).from(outbox).orderBy(asc(outbox.seq)));
  return rows.map((r) => r.envelope as EventEnvelope).filter((e) => !name || e.name === name);
}

export interface InvoiceEventFields {
  invoiceId?: string;
  clientId?: string;
  number?: string;
  currency?: string;
  total?: string;
  amountPaid?: string;
  amountDue?: string;
  status?: string;
  publicTokenDigest?: string;
}

/** Billing's invoice events as the contract shapes them, for one invoice. */
export function invoiceEvents(agencyId: string, fields: InvoiceEventFields = {}) {
  const invoiceId = fields.invoiceId ?? randomUUID();
  const clientId = fields.clientId ?? randomUUID();
  const currency = fields.currency ?? 'EUR';
  const number = fields.number ?? 'INV-2026-0007';
  const total = fields.total ?? '1190.00';
  const base = { clientId, invoiceId, projectId: null, number, currency, timeEntries: [] };
  const state = (version: number, s: Partial<InvoiceEventFields> = {}) => ({
    clientId,
    invoiceId,
    number,
    currency,
    total,
    amountPaid: s.amountPaid ?? '0.00',
    amountDue: s.amountDue ?? total,
    status: s.status ?? 'sent',
    dueDate: null,
    version,
  });
  return {
    invoiceId,
    clientId,
    issued: (version: number, s: Partial<InvoiceEventFields> = {}) =>
      envelope(agencyId, 'billing.invoice.issued.v1', {
        ...base,
        version,
        issuedAt: new Date().toISOString(),
        status: s.status ?? 'sent',
        total,
        amountPaid: s.amountPaid ?? '0.00',
        amountDue: s.amountDue ?? total,
        publicTokenDigest: s.publicTokenDigest ?? fields.publicTokenDigest,
      }),
    sent: (version: number, s: Partial<InvoiceEventFields> = {}) => envelope(agencyId, 'billing.invoice.sent.v1', { ...state(version, s), to: 'ada@acme.test', cc: [], sentAt: new Date().toISOString() }),
    partiallyPaid: (version: number, s: Partial<InvoiceEventFields>) =>
      envelope(agencyId, 'billing.invoice.partially_paid.v1', { ...state(version, { status: 'partially_paid', ...s }), paymentId: null, paidAt: new Date().toISOString() }),
    paid: (version: number) => envelope(agencyId, 'billing.invoice.paid.v1', { ...state(version, { status: 'paid', amountDue: '0.00', amountPaid: total }), paymentId: null, paidAt: new Date().toISOString() }),
    voided: (version: number) => envelope(agencyId, 'billing.invoice.voided.v1', { ...base, version, voidedAt: new Date().toISOString() }),
  };
}

/** An invoice payments knows from billing's `issued` event (version 2), with a public token digest. */
export async function issueReplicaInvoice(h: PaymentsHarness, agencyId: string, fields: InvoiceEventFields = {}) {
  const inv = invoiceEvents(agencyId, { publicTokenDigest: createHash('sha256').update(randomUUID()).digest('hex'), ...fields });
  await deliver(h, 'payments.invoice-replica', inv.issued(2));
  return inv;
}
