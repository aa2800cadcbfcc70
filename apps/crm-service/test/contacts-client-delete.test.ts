import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';

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

describe('deleting a client', () => {
  it("soft-deletes its contacts and notes in the same transaction, and leaves other clients' alone", async () => {
    const doomed = (await api('POST', '/api/clients', { name: 'Doomed' })).body.id as string;
    const kept = (await api('POST', '/api/clients', { name: 'Kept' })).body.id as string;
    const contacts = [];
    for (const firstName of ['Ann', 'Bob']) contacts.push((await api('POST', `/api/clients/${doomed}/contacts`, { firstName })).body.id as string);
    const note = (await api('POST', `/api/clients/${doomed}/notes`, { body: 'gone soon' })).body.id as string;
    const keptContact = (await api('POST', `/api/clients/${kept}/contacts`, { firstName: 'Kim' })).body.id as string;
    const keptNote = (await api('POST', `/api/clients/${kept}/notes`, { body: 'stays' })).body.id as string;

    expect((await api('DELETE', `/api/clients/${doomed}`)).status).toBe(204);

    for (const id of contacts) {
      expect((await api('GET', `/api/contacts/${id}`)).status).toBe(404);
      expect((await api('PATCH', `/api/contacts/${id}`, { title: 'x' })).status).toBe(404);
    }
    expect((await api('PATCH', `/api/notes/${note}`, { body: 'x' })).status).toBe(404);
    expect((await api('DELETE', `/api/notes/${note}`)).status).toBe(404);
    expect((await api('GET', `/api/clients/${doomed}/contacts`)).status).toBe(404);
    expect((await api('GET', `/api/clients/${doomed}/notes`)).status).toBe(404);
    expect((await api('POST', `/api/clients/${doomed}/contacts`, { firstName: 'Late' })).status).toBe(404);
    expect((await api('POST', `/api/clients/${doomed}/notes`, { body: 'late' })).status).toBe(404);
    expect((await api('GET', '/api/contacts')).body.data.map((c: { id: string }) => c.id)).toEqual([keptContact]);

    // Soft deletes: the rows are still there, stamped with the client's deletion time.
    const [client] = await sql<{ deleted_at: Date }[]>`select deleted_at from crm.clients where id = ${doomed}`;
    const rows = await sql<{ deleted_at: Date | null }[]>`
      select deleted_at from crm.contacts where client_id = ${doomed} union all select deleted_at from crm.notes where client_id = ${doomed}`;
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.deleted_at?.getTime()).toBe(client?.deleted_at.getTime());
    expect((await api('GET', `/api/contacts/${keptContact}`)).status).toBe(200);
    expect((await api('GET', `/api/clients/${kept}/notes`)).body.data.map((n: { id: string }) => n.id)).toEqual([keptNote]);
  });
});
