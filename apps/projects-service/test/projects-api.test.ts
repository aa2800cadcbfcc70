import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantTx, type Db } from '@atelier/platform';
import { newPrincipal, serviceClient, stopTestService, type TestPrincipal } from '@atelier/platform/testing';
import { rateCards, timeEntries } from '../src/db/schema.js';
import { outboxEvents, seedAgency, seedClient, startProjects, type ProjectsHarness } from './projects-harness.js';

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

const as = (who: TestPrincipal) => serviceClient(h.url, who);
const colleague = (who: TestPrincipal, role: TestPrincipal['role']) => newPrincipal(role, who.agencyId);

/** A logged entry as time tracking would write it, in a billing state. */
async function logTime(agencyId: string, projectId: string, billing: { status: 'unbilled' | 'reserved' | 'billed'; invoiceNumber?: string } = { status: 'unbilled' }) {
  await tenantTx(db, agencyId, (tx) =>
    tx.insert(timeEntries).values({
      agencyId,
      projectId,
      userId: randomUUID(),
      date: '2026-11-30',
      minutes: 60,
      roundedMinutes: 60,
      isBillable: true,
      currency: 'EUR',
      billingStatus: billing.status,
      invoiceId: billing.status === 'unbilled' ? null : randomUUID(),
      invoiceNumber: billing.invoiceNumber ?? null,
    }),
  );
}

describe('projects API', () => {
  it('creates a project for a client in its currency, reads, lists, updates and soft-deletes it, with versioned events', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId, { currency: 'GBP' });
    const created = await api('POST', '/api/projects', { clientId, name: 'Website Redesign', budgetHours: '120.5', budgetAmount: '15000.00', startDate: '2026-12-01' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      clientId,
      name: 'Website Redesign',
      description: null,
      status: 'active',
      currency: 'GBP',
      budgetHours: '120.50',
      budgetAmount: '15000.00',
      hourlyRate: null,
      isBillable: true,
      startDate: '2026-12-01',
      dueDate: null,
    });
    const id = created.body.id as string;
    expect((await api('GET', `/api/projects/${id}`)).body).toEqual(created.body);

    const patched = await api('PATCH', `/api/projects/${id}`, { status: 'on_hold', description: 'Phase 1' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'on_hold', description: 'Phase 1', name: 'Website Redesign' });

    expect((await api('DELETE', `/api/projects/${id}`)).status).toBe(204);
    expect((await api('GET', `/api/projects/${id}`)).status).toBe(404);
    expect((await api('DELETE', `/api/projects/${id}`)).status).toBe(404);
    expect((await api('GET', '/api/projects')).body.total).toBe(0);

    const events = await outboxEvents(db, owner.agencyId);
    expect(events.map((e) => [e.name, (e.payload as { version: number }).version])).toEqual([
      ['projects.project.created.v1', 1],
      ['projects.project.updated.v1', 2],
      ['projects.project.deleted.v1', 3],
    ]);
    expect(events[1]!.payload).toMatchObject({ clientId, project: { id, status: 'on_hold' }, changes: ['description', 'status'] });
    expect(events[2]!.payload).toMatchObject({ clientId, projectId: id, name: 'Website Redesign' });
    expect(events.every((e) => e.actorId === owner.userId)).toBe(true);
  });

  it('refuses a client that is unknown, inactive, deleted or of another agency with 400 on clientId', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const inactive = await seedClient(db, owner.agencyId, { isActive: false });
    const deleted = await seedClient(db, owner.agencyId, { deleted: true });
    const foreign = await seedClient(db, randomUUID());
    for (const clientId of [randomUUID(), inactive, deleted, foreign]) {
      const res = await api('POST', '/api/projects', { clientId, name: 'X' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'project.client_inactive', errors: [{ path: 'clientId' }] });
    }
    const live = await seedClient(db, owner.agencyId);
    const project = (await api('POST', '/api/projects', { clientId: live, name: 'X' })).body.id as string;
    expect((await api('PATCH', `/api/projects/${project}`, { clientId: inactive })).body).toMatchObject({ code: 'project.client_inactive', errors: [{ path: 'clientId' }] });
  });

  it('keeps hourlyRate as project rate cards: from the start at creation, from today when changed, none when cleared', async () => {
    const owner = newPrincipal('owner');
    await seedAgency(db, owner.agencyId, 'Pacific/Kiritimati');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId, { currency: 'EUR' });
    const id = (await api('POST', '/api/projects', { clientId, name: 'Retainer', hourlyRate: '120.00' })).body.id as string;
    const cards = () => tenantTx(db, owner.agencyId, (tx) => tx.select().from(rateCards).where(and(eq(rateCards.projectId, id), eq(rateCards.scope, 'project'))).orderBy(rateCards.effectiveFrom));
    expect((await cards()).map((c) => [c.effectiveFrom, c.amount])).toEqual([['1970-01-01', '120.0000']]);

    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    const raised = await api('PATCH', `/api/projects/${id}`, { hourlyRate: '135.50' });
    expect(raised.body.hourlyRate).toBe('135.50');
    expect((await api('PATCH', `/api/projects/${id}`, { hourlyRate: '140' })).body.hourlyRate).toBe('140.00');
    expect((await cards()).map((c) => [c.effectiveFrom, c.amount])).toEqual([
      ['1970-01-01', '120.0000'],
      [today, '140.0000'],
    ]);
    expect((await api('GET', '/api/projects')).body.data[0].hourlyRate).toBe('140.00');

    expect((await api('PATCH', `/api/projects/${id}`, { hourlyRate: null })).body.hourlyRate).toBeNull();
    expect(await cards()).toEqual([]);
  });

  it('checks amounts against the currency, the body\'s or the project\'s, naming the field', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId, { currency: 'JPY' });
    const bad = await api('POST', '/api/projects', { clientId, name: 'X', budgetAmount: '100.50' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'project.invalid_amount', errors: [{ path: 'budgetAmount', message: 'must be a whole amount in JPY' }] });
    const eur = await api('POST', '/api/projects', { clientId, name: 'X', currency: 'EUR', budgetAmount: '100.505' });
    expect(eur.body.errors).toEqual([{ path: 'budgetAmount', message: 'must have at most 2 decimals in EUR' }]);
    const ok = await api('POST', '/api/projects', { clientId, name: 'X', currency: 'EUR', budgetAmount: '100.50', hourlyRate: '80.25' });
    expect(ok.status).toBe(201);
    const toJpy = await api('PATCH', `/api/projects/${ok.body.id}`, { currency: 'JPY' });
    expect(toJpy.status).toBe(400);
    expect(toJpy.body.errors.map((e: { path: string }) => e.path)).toEqual(['budgetAmount', 'hourlyRate']);
    expect((await api('PATCH', `/api/projects/${ok.body.id}`, { currency: 'JPY', budgetAmount: '100', hourlyRate: '9000' })).body).toMatchObject({ currency: 'JPY', budgetAmount: '100', hourlyRate: '9000' });
  });

  it('refuses a currency change once time is logged, and a delete once time is on an invoice, naming it', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId);
    const id = (await api('POST', '/api/projects', { clientId, name: 'Billed' })).body.id as string;
    await logTime(owner.agencyId, id);
    expect((await api('PATCH', `/api/projects/${id}`, { currency: 'USD' })).body).toMatchObject({ status: 409, code: 'project.currency_locked' });
    await logTime(owner.agencyId, id, { status: 'billed', invoiceNumber: 'INV-2026-0007' });
    const refused = await api('DELETE', `/api/projects/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'project.has_invoiced_time' });
    expect(refused.body.detail).toContain('INV-2026-0007');
    expect((await api('GET', `/api/projects/${id}`)).status).toBe(200);

    const unbilledOnly = (await api('POST', '/api/projects', { clientId, name: 'Unbilled' })).body.id as string;
    await logTime(owner.agencyId, unbilledOnly);
    expect((await api('DELETE', `/api/projects/${unbilledOnly}`)).status).toBe(204);
  });

  it('filters by client, status and search, sorts, and pages with a cursor and a total', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const acme = await seedClient(db, owner.agencyId);
    const globex = await seedClient(db, owner.agencyId, { name: 'Globex' });
    const names = ['Alpha site', 'Beta app', 'Gamma 100% redesign', 'Delta site', 'Epsilon'];
    for (const [i, name] of names.entries()) {
      await api('POST', '/api/projects', { clientId: i % 2 ? globex : acme, name, status: i === 4 ? 'completed' : 'active', dueDate: i === 1 ? null : `2027-0${i + 1}-01` });
    }
    const list = async (query: string) => (await api('GET', `/api/projects?${query}`)).body;
    expect((await list(`clientId=${globex}`)).data.map((p: { name: string }) => p.name)).toEqual(['Beta app', 'Delta site']);
    expect((await list('status=completed')).data.map((p: { name: string }) => p.name)).toEqual(['Epsilon']);
    expect((await list('search=SITE')).data.map((p: { name: string }) => p.name)).toEqual(['Alpha site', 'Delta site']);
    expect((await list('search=100%25')).data.map((p: { name: string }) => p.name)).toEqual(['Gamma 100% redesign']);
    expect((await list('sort=dueDate')).data.map((p: { name: string }) => p.name)).toEqual(['Alpha site', 'Gamma 100% redesign', 'Delta site', 'Epsilon', 'Beta app']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { name: string }[]; nextCursor: string | null; total: number } = await list(`limit=2&sort=dueDate&order=desc${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.total).toBe(5);
      seen.push(...page.data.map((p) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Beta app', 'Epsilon', 'Delta site', 'Gamma 100% redesign', 'Alpha site']);

    const first = await list('limit=2');
    const wrongSort = await api('GET', `/api/projects?limit=2&sort=createdAt&cursor=${first.nextCursor}`);
    expect(wrongSort.body).toMatchObject({ status: 400, code: 'list.invalid_cursor', errors: [{ path: 'query.cursor' }] });
  });

  it('lets owners, admins and managers change projects and members only read them', async () => {
    const owner = newPrincipal('owner');
    const clientId = await seedClient(db, owner.agencyId);
    const id = (await as(owner)('POST', '/api/projects', { clientId, name: 'Matrix' })).body.id as string;
    for (const role of ['admin', 'manager'] as const) {
      const api = as(colleague(owner, role));
      const own = await api('POST', '/api/projects', { clientId, name: `By ${role}` });
      expect(own.status, role).toBe(201);
      expect((await api('PATCH', `/api/projects/${id}`, { name: `Renamed by ${role}` })).status, role).toBe(200);
      expect((await api('DELETE', `/api/projects/${own.body.id}`)).status, role).toBe(204);
    }
    const member = as(colleague(owner, 'member'));
    expect((await member('GET', '/api/projects')).status).toBe(200);
    expect((await member('GET', `/api/projects/${id}`)).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/api/projects', { clientId, name: 'Nope' }],
      ['PATCH', `/api/projects/${id}`, { name: 'Nope' }],
      ['DELETE', `/api/projects/${id}`, undefined],
    ] as const) {
      const res = await member(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.code).toBe('project.forbidden');
    }
  });

  it("answers 404 for another agency's project, as for an unknown one", async () => {
    const owner = newPrincipal('owner');
    const clientId = await seedClient(db, owner.agencyId);
    const id = (await as(owner)('POST', '/api/projects', { clientId, name: 'Private' })).body.id as string;
    const stranger = as(newPrincipal('owner'));
    for (const [method, path, body] of [
      ['GET', `/api/projects/${id}`, undefined],
      ['PATCH', `/api/projects/${id}`, { name: 'Mine now' }],
      ['DELETE', `/api/projects/${id}`, undefined],
      ['GET', `/api/projects/${id}/tasks`, undefined],
      ['POST', `/api/projects/${id}/tasks`, { title: 'Sneaky' }],
      ['POST', `/api/projects/${id}/tasks/reorder`, { status: 'todo', taskIds: [] }],
      ['GET', '/api/projects/not-a-uuid', undefined],
    ] as const) {
      const res = await stranger(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await stranger('GET', '/api/projects')).body.total).toBe(0);
    expect((await as(owner)('GET', `/api/projects/${id}`)).body.name).toBe('Private');
  });

  it('answers invalid bodies and queries with 400 naming each field', async () => {
    const owner = newPrincipal('owner');
    const api = as(owner);
    const clientId = await seedClient(db, owner.agencyId);
    const cases: [unknown, string[]][] = [
      [{ clientId, name: '' }, ['name']],
      [{ name: 'X' }, ['clientId']],
      [{ clientId, name: 'X', status: 'paused' }, ['status']],
      [{ clientId, name: 'X', startDate: '2026-12-10', dueDate: '2026-12-01' }, ['dueDate']],
      [{ clientId, name: 'X', budgetHours: '-1' }, ['budgetHours']],
      [{ clientId, name: 'X', budgetAmount: '-5.00' }, ['budgetAmount']],
      [{ clientId, name: 'X', hourlyRate: 120 }, ['hourlyRate']],
      [{ clientId, name: 'X', currency: 'ZZZ' }, ['currency']],
      [{ clientId, name: 'X', isBillable: 'yes' }, ['isBillable']],
      [{ clientId, name: 'X', extra: 1 }, ['(body)']],
    ];
    for (const [body, paths] of cases) {
      const res = await api('POST', '/api/projects', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toEqual(paths);
    }
    for (const [query, path] of [
      ['limit=0', 'query.limit'],
      ['status=paused', 'query.status'],
      ['clientId=1', 'query.clientId'],
      ['sort=budget', 'query.sort'],
    ]) {
      const res = await api('GET', `/api/projects?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors[0].path, query).toBe(path);
    }
  });
});
