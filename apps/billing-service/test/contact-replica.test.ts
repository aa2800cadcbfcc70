import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { publishEnvelopes, stopTestService, waitFor } from '@atelier/platform/testing';
import { replicaConsumerSuite } from '@atelier/platform/testing/replica-suite';
import type { EventEnvelope } from '@atelier/contracts';
import { clientDeletion, clientSnapshot, contactReplicaEvents, contactSnapshot, crmEvent } from '@atelier/contracts/testing';
import { contacts, inbox } from '../src/db/schema.js';
import { selectPrimaryContact } from '../src/contact-replica/contact-replica-repository.js';
import { startBilling, type BillingHarness } from './billing-harness.js';

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

replicaConsumerSuite('billing.contacts', {
  context: () => ({ bus: h.service.ctx.bus, db }),
  queue: 'billing.contact-replica',
  inbox,
  ...contactReplicaEvents(randomUUID()),
  read: async (tx, id) => {
    const [row] = await tx.select().from(contacts).where(eq(contacts.id, id));
    return row && { marker: row.firstName, version: row.version, deleted: row.deletedAt !== null };
  },
  ids: async (tx) => (await tx.select({ id: contacts.id }).from(contacts)).map((r) => r.id),
});

/** Publishes and waits until both replicas applied every event. */
async function deliver(events: EventEnvelope[]) {
  await publishEnvelopes(h.service.ctx.bus, events);
  const ids = events.map((e) => e.id);
  await waitFor(async () =>
    tenantTx(db, events[0]!.agencyId, async (tx) => (await tx.select().from(inbox).where(inArray(inbox.eventId, ids))).length === ids.length),
  );
}

describe('who receives invoices', () => {
  it("is the client's newest live primary contact, and nobody once the client is deleted", async () => {
    const agency = randomUUID();
    const client = randomUUID();
    const [ada, bob] = [randomUUID(), randomUUID()];
    const primary = () => tenantTx(db, agency, (tx) => selectPrimaryContact(tx, client));
    await deliver([
      crmEvent(agency, { name: 'crm.client.created.v1', payload: clientSnapshot(client, 1, { name: 'ACME' }) }),
      crmEvent(agency, { name: 'crm.contact.created.v1', payload: contactSnapshot(ada, client, 1, { firstName: 'Ada', email: 'ada@acme.test', isPrimary: true }) }),
      crmEvent(agency, { name: 'crm.contact.created.v1', payload: contactSnapshot(bob, client, 1, { firstName: 'Bob' }) }),
    ]);
    expect(await primary()).toMatchObject({ id: ada, email: 'ada@acme.test' });

    // Bob becomes primary; his promotion arrives before Ada's demotion.
    const later = new Date(Date.now() + 1000).toISOString();
    await deliver([crmEvent(agency, { name: 'crm.contact.updated.v1', payload: contactSnapshot(bob, client, 2, { firstName: 'Bob', isPrimary: true, updatedAt: later }) })]);
    expect((await primary())?.id).toBe(bob);
    await deliver([crmEvent(agency, { name: 'crm.contact.updated.v1', payload: contactSnapshot(ada, client, 2, { firstName: 'Ada', isPrimary: false, updatedAt: later }) })]);
    expect((await primary())?.id).toBe(bob);

    await deliver([crmEvent(agency, { name: 'crm.client.deleted.v1', payload: clientDeletion(client, 2, 'ACME') })]);
    expect(await primary()).toBeUndefined();
  });

  it('orders a contact event from before versions existed below every versioned one', async () => {
    const agency = randomUUID();
    const client = randomUUID();
    const id = randomUUID();
    const { version: _v, ...unversioned } = contactSnapshot(id, client, 1, { firstName: 'Old' });
    await deliver([crmEvent(agency, { name: 'crm.contact.updated.v1', payload: contactSnapshot(id, client, 1, { firstName: 'New' }) })]);
    await deliver([crmEvent(agency, { name: 'crm.contact.updated.v1', payload: unversioned })]);
    const [row] = await tenantTx(db, agency, (tx) => tx.select().from(contacts).where(and(eq(contacts.id, id))));
    expect(row).toMatchObject({ firstName: 'New', version: 1 });
  });
});
