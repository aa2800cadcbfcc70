import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, stopTestService, waitFor } from '@atelier/platform/testing';
import { startCrm, type CrmHarness } from './crm-harness.js';

let h: CrmHarness;
beforeAll(async () => {
  h = await startCrm();
});
afterAll(async () => {
  await stopTestService(h.service);
  await h.db.drop();
});

describe('clients API (direct on crm-service)', () => {
  it('rejects requests without a valid internal token', async () => {
    const anon = serviceClient(h.url);
    expect((await anon('GET', '/api/clients')).status).toBe(401);
    const forged = await anon('GET', '/api/clients', undefined, { 'x-atelier-internal-token': 'abc.def' });
    expect(forged.status).toBe(401);
  });

  it('creates, reads, lists, updates and soft-deletes a client, with timeline entries', async () => {
    const owner = newPrincipal('owner');
    const api = serviceClient(h.url, owner);
    const created = await api('POST', '/api/clients', { name: 'ACME Corp', email: 'Billing@Acme.test', address: { city: 'Berlin', country: 'DE' }, currency: 'EUR' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'ACME Corp', email: 'billing@acme.test', currency: 'EUR', isActive: true, address: { city: 'Berlin', country: 'DE', line1: null } });

    const id = created.body.id as string;
    expect((await api('GET', `/api/clients/${id}`)).body.name).toBe('ACME Corp');

    const patched = await api('PATCH', `/api/clients/${id}`, { phone: '+49 30 1234', address: { line1: 'Hauptstr. 1' } });
    expect(patched.status).toBe(200);
    expect(patched.body.address).toMatchObject({ line1: 'Hauptstr. 1', city: 'Berlin' });

    const timeline = await waitFor(async () => {
      const t = await api('GET', `/api/timeline?clientId=${id}`);
      return t.body.data.length === 2 ? t.body : undefined;
    });
    expect(timeline.data.map((e: { type: string }) => e.type)).toEqual(['crm.client.updated.v1', 'crm.client.created.v1']);
    expect(timeline.data[1]).toMatchObject({ title: 'Client ACME Corp created', actorId: owner.userId, entity: { kind: 'client', id } });

    expect((await api('DELETE', `/api/clients/${id}`)).status).toBe(204);
    expect((await api('GET', `/api/clients/${id}`)).status).toBe(404);
    expect((await api('DELETE', `/api/clients/${id}`)).status).toBe(404);
  });
});
