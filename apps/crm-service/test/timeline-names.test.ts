import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@atelier/contracts';
import { newPrincipal, publishEnvelopes, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import { replicaConsumerSuite } from '@atelier/platform/testing/replica-suite';
import { inbox, memberNames } from '../src/db/schema.js';
import { startCrm, type CrmHarness } from './crm-harness.js';

let h: CrmHarness;
beforeAll(async () => {
  h = await startCrm();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

const envelope = (agencyId: string, name: string, payload: unknown): EventEnvelope => ({
  id: randomUUID(),
  name,
  occurredAt: new Date().toISOString(),
  agencyId,
  actorId: null,
  payload,
  trace: {},
});
const member = (userId: string, name: string) => ({ userId, name, email: `${userId.slice(0, 8)}@agency.test`, role: 'member' as const });

replicaConsumerSuite('member names replica (identity.member.* events)', {
  context: () => ({ bus: h.service.ctx.bus, db: h.service.ctx.database.db }),
  queue: 'crm.member-names',
  inbox,
  live: (agencyId, s, kind) => envelope(agencyId, kind === 'created' ? 'identity.member.joined.v1' : 'identity.member.updated.v1', { member: member(s.id, s.marker), version: s.version }),
  deleted: (agencyId, s) => envelope(agencyId, 'identity.member.removed.v1', { userId: s.id, name: s.marker, version: s.version, removedAt: new Date().toISOString() }),
  malformed: (agencyId, id) => envelope(agencyId, 'identity.member.joined.v1', { member: { userId: id }, version: 1 }),
  read: async (tx, id) => {
    const [row] = await tx.select().from(memberNames).where(eq(memberNames.userId, id));
    return row && { marker: row.name, version: row.version, deleted: row.removed };
  },
  ids: async (tx) => (await tx.select({ id: memberNames.userId }).from(memberNames)).map((r) => r.id),
});

interface Entry {
  type: string;
  title: string;
  clientId: string;
  actorName: string | null;
  clientName: string | null;
  clientDeleted: boolean;
}

describe('timeline titles say what happened to whom', () => {
  it('names the client and, once crm knows the member, who did it; quotes a note', async () => {
    const marta = newPrincipal('owner');
    const api = serviceClient(h.url, marta);
    const client = (await api('POST', '/api/clients', { name: 'ACME Corp' })).body.id as string;
    await api('POST', `/api/clients/${client}/notes`, { body: 'Call back Monday about the renewal of the retainer, and bring the new brief along' });
    await api('PATCH', `/api/clients/${client}`, { isActive: false });
    await api('PATCH', `/api/clients/${client}`, { isActive: true, taxId: 'GB1' });
    await api('PATCH', `/api/clients/${client}`, { email: 'hi@acme.test' });
    const timeline = async () => (await api('GET', `/api/timeline?clientId=${client}`)).body.data as Entry[];
    const before = await waitFor(async () => ((await timeline()).length === 5 ? timeline() : undefined));
    // crm has not heard of the member yet: no "by …".
    expect(before.map((e) => e.title)).toEqual([
      'Client ACME Corp updated',
      'Client ACME Corp activated',
      'Client ACME Corp deactivated',
      "Note added to ACME Corp: 'Call back Monday about the renewal of the retainer, and…'",
      'Client ACME Corp created',
    ]);
    expect(before.every((e) => e.actorName === null && e.clientName === 'ACME Corp' && !e.clientDeleted)).toBe(true);

    // The gateway's event of the member arrives: every entry, old ones too, says who.
    await publishEnvelopes(h.service.ctx.bus, [envelope(marta.agencyId, 'identity.member.joined.v1', { member: member(marta.userId, 'Marta'), version: 1 })]);
    const after = await waitFor(async () => {
      const entries = await timeline();
      return entries.every((e) => e.actorName === 'Marta') ? entries : undefined;
    });
    expect(after.map((e) => e.title)).toEqual([
      'Client ACME Corp updated by Marta',
      'Client ACME Corp activated by Marta',
      'Client ACME Corp deactivated by Marta',
      "Note added to ACME Corp by Marta: 'Call back Monday about the renewal of the retainer, and…'",
      'Client ACME Corp created by Marta',
    ]);
  });

  it('marks the entries of a deleted client, and filters by client', async () => {
    const who = newPrincipal('owner');
    const api = serviceClient(h.url, who);
    const kept = (await api('POST', '/api/clients', { name: 'Kept Ltd' })).body.id as string;
    const gone = (await api('POST', '/api/clients', { name: 'Gone Ltd' })).body.id as string;
    await api('POST', `/api/clients/${gone}/contacts`, { firstName: 'Ann' });
    expect((await api('DELETE', `/api/clients/${gone}`)).status).toBe(204);
    const all = await waitFor(async () => {
      const t = await api('GET', '/api/timeline');
      return t.body.total === 4 ? (t.body.data as Entry[]) : undefined;
    });
    expect(all.map((e) => [e.title, e.clientName, e.clientDeleted])).toEqual([
      ['Client Gone Ltd deleted', 'Gone Ltd', true],
      ['Contact Ann added to Gone Ltd', 'Gone Ltd', true],
      ['Client Gone Ltd created', 'Gone Ltd', true],
      ['Client Kept Ltd created', 'Kept Ltd', false],
    ]);
    const onlyKept = (await api('GET', `/api/timeline?clientId=${kept}`)).body;
    expect(onlyKept.total).toBe(1);
    expect(onlyKept.data.map((e: Entry) => e.clientId)).toEqual([kept]);
    const onlyGone = (await api('GET', `/api/timeline?clientId=${gone}`)).body;
    expect(onlyGone.data.map((e: Entry) => e.type)).toEqual(['crm.client.deleted.v1', 'crm.contact.created.v1', 'crm.client.created.v1']);
  });
});
