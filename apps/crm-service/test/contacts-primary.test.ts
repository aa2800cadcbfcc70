import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import { mapPrimaryConflict } from '../src/contacts/contact-conflicts.js';
import { startCrm, type CrmHarness } from './crm-harness.js';

let h: CrmHarness;
let sql: postgres.Sql;
const owner = newPrincipal('owner');
let api: ReturnType<typeof serviceClient>;

beforeAll(async () => {
  h = await startCrm();
  // The owner role bypasses row-level security: it sees the table as it really is.
  sql = postgres(h.db.ownerUrl, { max: 2, onnotice: () => {} });
  api = serviceClient(h.url, owner);
});
afterAll(async () => {
  await sql.end();
  await stopTestService(h.service);
  await h.db.drop();
});

const newClient = async () => (await api('POST', '/api/clients', { name: 'Primary Co' })).body.id as string;
const addContact = async (clientId: string, body: Record<string, unknown> = {}) => {
  const res = await api('POST', `/api/clients/${clientId}/contacts`, { firstName: 'C', ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; isPrimary: boolean };
};
const primaries = async (clientId: string) =>
  (await sql<{ id: string }[]>`select id from crm.contacts where client_id = ${clientId} and is_primary and deleted_at is null`).map((r) => r.id);

describe('one primary contact per client', () => {
  it('makes a client’s first contact primary whatever the request says, later ones only when asked', async () => {
    const a = await newClient();
    expect((await addContact(a)).isPrimary).toBe(true);
    expect((await addContact(a)).isPrimary).toBe(false);

    // A form that sends its unticked box (isPrimary: false) still gets the rule.
    const b = await newClient();
    const first = await addContact(b, { isPrimary: false });
    expect(first.isPrimary).toBe(true);
    expect((await addContact(b, { isPrimary: false })).isPrimary).toBe(false);
    expect((await addContact(b)).isPrimary).toBe(false);
    expect(await primaries(b)).toEqual([first.id]);
  });

  it('demotes the old primary when a new contact is created as primary, with an event for each', async () => {
    const clientId = await newClient();
    const first = await addContact(clientId, { firstName: 'Old', lastName: 'Primary' });
    const second = await addContact(clientId, { firstName: 'New', lastName: 'Primary', isPrimary: true });
    expect(second.isPrimary).toBe(true);
    expect((await api('GET', `/api/contacts/${first.id}`)).body.isPrimary).toBe(false);
    expect(await primaries(clientId)).toEqual([second.id]);

    const updates = await waitFor(async () => {
      const t = await api('GET', `/api/timeline?clientId=${clientId}&type=crm.contact.updated.v1`);
      return t.body.data.length === 1 ? t.body.data : undefined;
    });
    expect(updates[0]).toMatchObject({ title: 'Contact Old Primary of Primary Co updated', entity: { kind: 'contact', id: first.id } });
    const [event] = await sql<{ payload: { contact: { isPrimary: boolean } } }[]>`
      select envelope->'payload' as payload from crm.outbox
      where envelope->>'name' = 'crm.contact.updated.v1' and envelope->'payload'->'contact'->>'id' = ${first.id}`;
    expect(event?.payload.contact.isPrimary).toBe(false);
  });

  it('demotes on PATCH isPrimary:true, and unsetting the primary or deleting it promotes nobody', async () => {
    const clientId = await newClient();
    const a = await addContact(clientId);
    const b = await addContact(clientId);
    const made = await api('PATCH', `/api/contacts/${b.id}`, { isPrimary: true });
    expect(made.body.isPrimary).toBe(true);
    expect(await primaries(clientId)).toEqual([b.id]);
    // Making the primary primary again changes nothing.
    expect((await api('PATCH', `/api/contacts/${b.id}`, { isPrimary: true })).body.isPrimary).toBe(true);
    expect(await primaries(clientId)).toEqual([b.id]);

    expect((await api('PATCH', `/api/contacts/${b.id}`, { isPrimary: false })).body.isPrimary).toBe(false);
    expect(await primaries(clientId)).toEqual([]);

    await api('PATCH', `/api/contacts/${a.id}`, { isPrimary: true });
    expect((await api('DELETE', `/api/contacts/${a.id}`)).status).toBe(204);
    expect(await primaries(clientId)).toEqual([]);
    expect((await api('GET', `/api/contacts/${b.id}`)).body.isPrimary).toBe(false);
  });

  it('moving the primary to another client leaves it non-primary there unless asked', async () => {
    const from = await newClient();
    const to = await newClient();
    const mover = await addContact(from);
    const resident = await addContact(to);
    const moved = await api('PATCH', `/api/contacts/${mover.id}`, { clientId: to });
    expect(moved.body).toMatchObject({ clientId: to, isPrimary: false });
    expect(await primaries(to)).toEqual([resident.id]);
    expect(await primaries(from)).toEqual([]);
  });

  it('20 concurrent "make primary" requests leave exactly one primary', async () => {
    const clientId = await newClient();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await addContact(clientId, { firstName: `Racer${i}` })).id);
    const results = await Promise.all(ids.map((id) => api('PATCH', `/api/contacts/${id}`, { isPrimary: true })));
    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));

    const rows = await primaries(clientId);
    expect(rows).toHaveLength(1);
    // The last one to commit wins, and the API agrees with the table.
    const list = await api('GET', `/api/contacts?clientId=${clientId}&isPrimary=true`);
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual(rows);
  });

  it('20 concurrent creates with isPrimary:true also leave exactly one primary', async () => {
    const clientId = await newClient();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => api('POST', `/api/clients/${clientId}/contacts`, { firstName: `New${i}`, isPrimary: true })));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 201));
    expect(await primaries(clientId)).toHaveLength(1);
  });

  it('maps a unique violation of the primary index to 409, and leaves other errors alone', () => {
    const wrapped = Object.assign(new Error('Failed query'), { cause: { code: '23505', constraint_name: 'contacts_one_primary_idx' } });
    let caught: unknown;
    try {
      mapPrimaryConflict(wrapped);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect(caught).toMatchObject({ status: 409, code: 'contact.primary_conflict' });
    const other = new Error('boom');
    expect(() => mapPrimaryConflict(other)).toThrow(other);
  });
});
