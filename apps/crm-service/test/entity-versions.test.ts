import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';

/** Contact and note events carry a version that grows with every change, as client events do (events.md). */
let h: CrmHarness;
let sql: postgres.Sql;
const owner = newPrincipal('owner');
let api: ReturnType<typeof serviceClient>;

beforeAll(async () => {
  h = await startCrm();
  sql = postgres(h.db.ownerUrl, { max: 2, onnotice: () => {} });
  api = serviceClient(h.url, owner);
});
afterAll(async () => {
  await sql.end();
  await stopTestService(h.service);
  await h.db.drop();
});

/** The (event name, version) of every event about the entity, in the order they were written. */
const versions = async (kind: 'contact' | 'note', id: string) =>
  (
    await sql<{ name: string; version: number }[]>`
      select envelope->>'name' as name, (envelope->'payload'->>'version')::int as version from crm.outbox
      where envelope->'payload'->${kind}->>'id' = ${id} or envelope->'payload'->>${`${kind}Id`} = ${id}
      order by envelope->>'occurredAt'`
  ).map((r) => `${r.name.split('.')[2]} ${r.version}`);

describe('entity versions', () => {
  it('grow with every change of a contact, demotions and the delete included', async () => {
    const clientId = (await api('POST', '/api/clients', { name: 'Versioned Co' })).body.id as string;
    const first = (await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'Ada' })).body.id as string;
    await api('PATCH', `/api/contacts/${first}`, { title: 'CEO' });
    // A second primary demotes the first: an update with the next version.
    await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'Bob', isPrimary: true });
    expect((await api('DELETE', `/api/contacts/${first}`)).status).toBe(204);
    expect(await versions('contact', first)).toEqual(['created 1', 'updated 2', 'updated 3', 'deleted 4']);
    const [row] = await sql<{ version: number }[]>`select version from crm.contacts where id = ${first}`;
    expect(row?.version).toBe(4);
  });

  it('grow with every change of a note', async () => {
    const clientId = (await api('POST', '/api/clients', { name: 'Noted Co' })).body.id as string;
    const note = (await api('POST', `/api/clients/${clientId}/notes`, { body: 'first' })).body.id as string;
    await api('PATCH', `/api/notes/${note}`, { isPinned: true });
    await api('PATCH', `/api/notes/${note}`, { body: 'second' });
    expect((await api('DELETE', `/api/notes/${note}`)).status).toBe(204);
    expect(await versions('note', note)).toEqual(['created 1', 'updated 2', 'updated 3', 'deleted 4']);
  });

  it("bumps the versions of a deleted client's contacts and notes, so their tombstones outrank every earlier event", async () => {
    const clientId = (await api('POST', '/api/clients', { name: 'Gone Co' })).body.id as string;
    const contact = (await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'Cy' })).body.id as string;
    const note = (await api('POST', `/api/clients/${clientId}/notes`, { body: 'bye' })).body.id as string;
    expect((await api('DELETE', `/api/clients/${clientId}`)).status).toBe(204);
    expect(await sql`select version, deleted_at is not null as deleted from crm.contacts where id = ${contact}`).toEqual([{ version: 2, deleted: true }]);
    expect(await sql`select version, deleted_at is not null as deleted from crm.notes where id = ${note}`).toEqual([{ version: 2, deleted: true }]);
  });
});
