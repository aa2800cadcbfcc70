import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { EventEnvelope } from '@atelier/contracts';
import { clientSnapshot, crmEvent } from '@atelier/contracts/testing';
import { tenantTx, type Db } from '@atelier/platform';
import { publishEnvelopes, waitFor, type TestPrincipal } from '@atelier/platform/testing';
import { inbox } from '../src/db/schema.js';
import type { BillingHarness } from './billing-harness.js';
import { entryPayload, envelope, projectPayload, taskPayload, type EntryFields } from './projects-events.js';

/** Publishes the events and waits until billing's consumers applied each one (its inbox rows committed). */
export async function deliverAll(h: BillingHarness, events: EventEnvelope[]): Promise<void> {
  const db: Db = h.service.ctx.database.db;
  await publishEnvelopes(h.service.ctx.bus, events);
  const byAgency = new Map<string, string[]>();
  for (const e of events) byAgency.set(e.agencyId, [...(byAgency.get(e.agencyId) ?? []), e.id]);
  for (const [agencyId, ids] of byAgency) {
    await waitFor(async () =>
      tenantTx(db, agencyId, async (tx) => new Set((await tx.select({ id: inbox.eventId }).from(inbox).where(inArray(inbox.eventId, ids))).map((r) => r.id)).size === ids.length),
      30_000,
    );
  }
}

export interface TimeProject {
  who: TestPrincipal;
  clientId: string;
  projectId: string;
  tasks: Record<string, string>;
  /** Publishes entries (as one resync event) and returns their ids. */
  log: (entries: Omit<EntryFields, 'projectId' | 'clientId'>[]) => Promise<string[]>;
}

/** A client, a project with tasks and members in billing's replicas, all through the events their producers publish. */
export async function timeProject(h: BillingHarness, who: TestPrincipal, options: { currency?: string; tasks?: string[]; clientName?: string; members?: Record<string, string> } = {}): Promise<TimeProject> {
  const clientId = randomUUID();
  const projectId = randomUUID();
  const currency = options.currency ?? 'EUR';
  const tasks = Object.fromEntries((options.tasks ?? ['Design', 'Build']).map((t) => [t, randomUUID()]));
  await deliverAll(h, [
    crmEvent(who.agencyId, { name: 'crm.client.created.v1', payload: clientSnapshot(clientId, 1, { name: options.clientName ?? 'ACME', currency }) }),
    envelope(who.agencyId, 'projects.project.created.v1', projectPayload(projectId, clientId, 1, { name: 'Website', currency })),
    ...Object.entries(tasks).map(([title, id]) => envelope(who.agencyId, 'projects.task.created.v1', taskPayload(id, projectId, clientId, 1, title))),
    ...Object.entries(options.members ?? {}).map(([userId, name]) =>
      envelope(who.agencyId, 'identity.member.joined.v1', { member: { userId, name, email: `${userId.slice(0, 6)}@a.test`, role: 'member' }, version: 1 }),
    ),
  ]);
  const log = async (entries: Omit<EntryFields, 'projectId' | 'clientId'>[]) => {
    const ids = entries.map(() => randomUUID());
    const payload = { entries: entries.map((e, i) => entryPayload(ids[i]!, 1, { currency, ...e, projectId, clientId })), deleted: [] };
    await deliverAll(h, [envelope(who.agencyId, 'projects.time_entry.resync.v1', payload)]);
    return ids;
  };
  return { who, clientId, projectId, tasks, log };
}

export const inboxHas = (db: Db, agencyId: string, consumer: string, eventId: string) =>
  tenantTx(db, agencyId, async (tx) => (await tx.select().from(inbox).where(and(eq(inbox.consumer, consumer), eq(inbox.eventId, eventId)))).length === 1);
