import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { publishEnvelopes, stopTestService, waitFor } from '@atelier/platform/testing';
import { replicaConsumerSuite } from '@atelier/platform/testing/replica-suite';
import type { EventEnvelope } from '@atelier/contracts';
import { clientReplicaEvents, clientSnapshot, crmEvent } from '@atelier/contracts/testing';
import { clients, inbox } from '../src/db/schema.js';
import { startProjects, type ProjectsHarness } from './projects-harness.js';

const QUEUE = 'projects.client-replica';

let h: ProjectsHarness;
let db: Db;
beforeAll(async () => {
  h = await startProjects();
  db = h.service.ctx.database.db;
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const replicaRow = (agencyId: string, id: string) =>
  tenantTx(db, agencyId, async (tx) => (await tx.select().from(clients).where(eq(clients.id, id)))[0]);

/** Publishes and waits until the consumer has applied the event (its inbox row is committed). */
async function deliver(event: EventEnvelope) {
  await publishEnvelopes(h.service.ctx.bus, [event]);
  await waitFor(async () =>
    tenantTx(db, event.agencyId, async (tx) => (await tx.select().from(inbox).where(and(eq(inbox.consumer, QUEUE), eq(inbox.eventId, event.id)))).length === 1),
  );
}

replicaConsumerSuite('projects.clients', {
  context: () => ({ bus: h.service.ctx.bus, db }),
  queue: QUEUE,
  inbox,
  ...clientReplicaEvents,
  read: async (tx, id) => {
    const [row] = await tx.select().from(clients).where(eq(clients.id, id));
    return row && { marker: row.name, version: row.version, deleted: row.deletedAt !== null };
  },
  ids: async (tx) => (await tx.select({ id: clients.id }).from(clients)).map((r) => r.id),
});

describe('client replica (CRM client events -> projects.clients)', () => {
  it('creates the row from crm.client.created and replaces it with a newer crm.client.updated', async () => {
    const agency = randomUUID();
    const id = randomUUID();
    await deliver(crmEvent(agency, { name: 'crm.client.created.v1', payload: clientSnapshot(id, 1, { name: 'ACME', email: 'billing@acme.test', currency: 'EUR' }) }));
    expect(await replicaRow(agency, id)).toMatchObject({ id, agencyId: agency, name: 'ACME', email: 'billing@acme.test', currency: 'EUR', isActive: true, deletedAt: null, version: 1 });

    const updatedAt = '2030-01-02T03:04:05.678Z';
    await deliver(crmEvent(agency, { name: 'crm.client.updated.v1', payload: clientSnapshot(id, 2, { name: 'ACME GmbH', email: null, currency: 'EUR', isActive: false, updatedAt }) }));
    expect(await replicaRow(agency, id)).toMatchObject({ name: 'ACME GmbH', email: null, isActive: false, version: 2, updatedAt: new Date(updatedAt) });
  });

});
