import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterQueueName, withTenant, type Db } from '@atelier/platform';
import { publishEnvelopes, queueDepth, stopTestService, waitFor } from '@atelier/platform/testing';
import type { EventEnvelope } from '@atelier/contracts';
import { clients, inbox } from '../src/db/schema.js';
import { clientDeletion, clientSnapshot, crmEvent } from '@atelier/contracts/testing';
import { startBilling, type BillingHarness } from './billing-harness.js';

const QUEUE = 'billing.client-replica';

let h: BillingHarness;
let db: Db;
beforeAll(async () => {
  h = await startBilling();
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const replicaRow = (agencyId: string, id: string) =>
  withTenant(db, agencyId, async (tx) => (await tx.select().from(clients).where(eq(clients.id, id)))[0]);

const inboxRows = (event: EventEnvelope) =>
  withTenant(db, event.agencyId, (tx) =>
    tx
      .select()
      .from(inbox)
      .where(and(eq(inbox.consumer, QUEUE), eq(inbox.eventId, event.id))),
  );

/** Publishes and waits until the consumer has applied the event (its inbox row is committed). */
async function deliver(event: EventEnvelope) {
  await publishEnvelopes(h.service.ctx.bus, [event]);
  await waitFor(async () => (await inboxRows(event)).length === 1);
}

describe('client replica (CRM client events -> billing.clients)', () => {
  it('creates the row from crm.client.created, with the address and tax id invoices need, and replaces it with a newer crm.client.updated', async () => {
    const agency = randomUUID();
    const id = randomUUID();
    const address = { line1: 'Hauptstr. 1', line2: 'Hinterhaus', city: 'Berlin', region: 'BE', postalCode: '10115', country: 'DE' };
    await deliver(
      crmEvent(agency, { name: 'crm.client.created.v1', payload: clientSnapshot(id, 1, { name: 'ACME', email: 'billing@acme.test', currency: 'EUR', taxId: 'DE123456789', address }) }),
    );
    expect(await replicaRow(agency, id)).toMatchObject({
      id,
      agencyId: agency,
      name: 'ACME',
      email: 'billing@acme.test',
      addressLine1: 'Hauptstr. 1',
      addressLine2: 'Hinterhaus',
      city: 'Berlin',
      region: 'BE',
      postalCode: '10115',
      country: 'DE',
      taxId: 'DE123456789',
      currency: 'EUR',
      isActive: true,
      deletedAt: null,
      version: 1,
    });

    const updatedAt = '2030-01-02T03:04:05.678Z';
    const moved = { ...address, line1: 'Ringstr. 9', line2: null };
    await deliver(
      crmEvent(agency, { name: 'crm.client.updated.v1', payload: clientSnapshot(id, 2, { name: 'ACME GmbH', currency: 'CHF', taxId: null, isActive: false, address: moved, updatedAt }) }),
    );
    expect(await replicaRow(agency, id)).toMatchObject({
      name: 'ACME GmbH',
      addressLine1: 'Ringstr. 9',
      addressLine2: null,
      city: 'Berlin',
      taxId: null,
      currency: 'CHF',
      isActive: false,
      version: 2,
      updatedAt: new Date(updatedAt),
    });
  });

  it('applies an event delivered 20 times once', async () => {
    const agency = randomUUID();
    const id = randomUUID();
    const created = crmEvent(agency, { name: 'crm.client.created.v1', payload: clientSnapshot(id, 1, { name: 'Once Ltd' }) });
    await publishEnvelopes(h.service.ctx.bus, [created], 20);

    await waitFor(async () => (await replicaRow(agency, id)) !== undefined && (await queueDepth(h.service.ctx.bus, h.service.ctx.bus.queueName(QUEUE))) === 0);
    expect(await inboxRows(created)).toHaveLength(1);
    expect(await replicaRow(agency, id)).toMatchObject({ name: 'Once Ltd', version: 1, deletedAt: null });
    expect(await queueDepth(h.service.ctx.bus, h.service.ctx.bus.queueName(deadLetterQueueName(QUEUE)))).toBe(0);
  });

  it('keeps the newest version when an update arrives before the create', async () => {
    const agency = randomUUID();
    const id = randomUUID();
    await deliver(crmEvent(agency, { name: 'crm.client.updated.v1', payload: clientSnapshot(id, 3, { name: 'Newest' }) }));
    await deliver(crmEvent(agency, { name: 'crm.client.created.v1', payload: clientSnapshot(id, 1, { name: 'Oldest' }) }));
    expect(await replicaRow(agency, id)).toMatchObject({ name: 'Newest', version: 3 });
  });

  it('does not let a late update resurrect a deleted client', async () => {
    const agency = randomUUID();
    const id = randomUUID();
    await deliver(crmEvent(agency, { name: 'crm.client.created.v1', payload: clientSnapshot(id, 1, { name: 'Gone Inc', currency: 'GBP' }) }));
    const deletion = clientDeletion(id, 4, 'Gone Inc');
    await deliver(crmEvent(agency, { name: 'crm.client.deleted.v1', payload: deletion }));
    await deliver(crmEvent(agency, { name: 'crm.client.updated.v1', payload: clientSnapshot(id, 3, { name: 'Back Again' }) }));
    expect(await replicaRow(agency, id)).toMatchObject({ name: 'Gone Inc', currency: 'GBP', version: 4, deletedAt: new Date(deletion.deletedAt) });
  });

  it('keeps a deleted row when the delete arrives before the create', async () => {
    const agency = randomUUID();
    const id = randomUUID();
    await deliver(crmEvent(agency, { name: 'crm.client.deleted.v1', payload: clientDeletion(id, 2, 'Early Exit') }));
    await deliver(crmEvent(agency, { name: 'crm.client.created.v1', payload: clientSnapshot(id, 1, { name: 'Early Exit' }) }));
    const row = await replicaRow(agency, id);
    expect(row).toMatchObject({ name: 'Early Exit', version: 2 });
    expect(row?.deletedAt).toBeInstanceOf(Date);
  });

  it('dead-letters an event whose payload does not match the contract, changing nothing', async () => {
    const agency = randomUUID();
    const id = randomUUID();
    const malformed = { ...crmEvent(agency, { name: 'crm.client.created.v1', payload: clientSnapshot(id, 1) }), payload: { client: { id }, version: 1 } };
    await publishEnvelopes(h.service.ctx.bus, [malformed]);
    await waitFor(async () => (await queueDepth(h.service.ctx.bus, h.service.ctx.bus.queueName(deadLetterQueueName(QUEUE)))) === 1);
    expect(await replicaRow(agency, id)).toBeUndefined();
    expect(await inboxRows(malformed)).toHaveLength(0);
  });

  it("never shows one agency's clients to another", async () => {
    const [agencyA, agencyB] = [randomUUID(), randomUUID()];
    const [clientA, clientB] = [randomUUID(), randomUUID()];
    await deliver(crmEvent(agencyA, { name: 'crm.client.created.v1', payload: clientSnapshot(clientA, 1, { name: 'Of A' }) }));
    await deliver(crmEvent(agencyB, { name: 'crm.client.created.v1', payload: clientSnapshot(clientB, 1, { name: 'Of B' }) }));

    const seenByA = await withTenant(db, agencyA, (tx) => tx.select().from(clients));
    expect(seenByA.map((c) => c.id)).toEqual([clientA]);
    expect(await replicaRow(agencyA, clientB)).toBeUndefined();
    const seenByB = await withTenant(db, agencyB, (tx) => tx.select().from(clients));
    expect(seenByB.map((c) => c.id)).toEqual([clientB]);
    expect(await db.select().from(clients)).toEqual([]);
  });
});
