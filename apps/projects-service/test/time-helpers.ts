import { randomUUID } from 'node:crypto';
import { newPrincipal, serviceClient, type TestPrincipal } from '@atelier/platform/testing';
import type { Db } from '@atelier/platform';
import { seedAgency, seedClient, seedMember, type ProjectsHarness } from './projects-harness.js';

export interface TimeAgency {
  owner: TestPrincipal;
  manager: TestPrincipal;
  member: TestPrincipal;
  clientId: string;
  projectId: string;
  as: (who: TestPrincipal) => ReturnType<typeof serviceClient>;
}

/**
 * An agency in `timezone` with an owner, a manager and a member (in the member replica), a
 * client and an active project at `hourlyRate` (EUR unless told).
 */
export async function timeAgency(h: ProjectsHarness, options: { timezone?: string; hourlyRate?: string | null; project?: Record<string, unknown>; currency?: string } = {}): Promise<TimeAgency> {
  const db: Db = h.service.ctx.database.db;
  const owner = newPrincipal('owner');
  const manager = newPrincipal('manager', owner.agencyId);
  const member = newPrincipal('member', owner.agencyId);
  await seedAgency(db, owner.agencyId, options.timezone ?? 'Europe/Berlin', options.currency ?? 'EUR');
  await seedMember(db, owner, 'Olga Owner');
  await seedMember(db, manager, 'Manu Manager');
  await seedMember(db, member, 'Mia Member');
  const clientId = await seedClient(db, owner.agencyId, { currency: options.currency ?? 'EUR', name: 'ACME Corp' });
  const as = (who: TestPrincipal) => serviceClient(h.url, who);
  const rate = options.hourlyRate === undefined ? '120.00' : options.hourlyRate;
  const created = await as(owner)('POST', '/api/projects', { clientId, name: 'Website Redesign', ...(rate ? { hourlyRate: rate } : {}), ...options.project });
  if (created.status !== 201) throw new Error(`project: ${created.status} ${JSON.stringify(created.body)}`);
  return { owner, manager, member, clientId, projectId: created.body.id as string, as };
}

export const someone = () => randomUUID();
