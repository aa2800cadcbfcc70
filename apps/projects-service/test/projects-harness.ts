import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { asc } from 'drizzle-orm';
import type { EventEnvelope } from '@atelier/contracts';
import { createTestDatabase, testEnv, testNamespace, type TestDatabase } from '@atelier/platform/testing';
import { memberRowId, tenantTx, type Db, type Service } from '@atelier/platform';
import { agencies, clients, members, outbox } from '../src/db/schema.js';
import { loadProjectsConfig, type ProjectsConfig } from '../src/config.js';
import { buildProjectsService } from '../src/projects-service.js';

export const projectsMigrations = fileURLToPath(new URL('../drizzle', import.meta.url));

export interface ProjectsHarness {
  db: TestDatabase;
  service: Service<ProjectsConfig>;
  url: string;
  namespace: string;
}

export async function startProjects(options: { db?: TestDatabase; namespace?: string; env?: Record<string, string> } = {}): Promise<ProjectsHarness> {
  const db = options.db ?? (await createTestDatabase({ projects: projectsMigrations }));
  const namespace = options.namespace ?? testNamespace();
  const service = buildProjectsService(loadProjectsConfig(testEnv('projects', db, namespace, options.env)));
  const server = await service.start();
  return { db, service, url: server.url, namespace };
}

/**
 * Replica rows as the consumers would write them from crm's and the gateway's events (those
 * paths have their own tests): a client the agency can plan projects for, a member it can assign.
 */
export async function seedClient(db: Db, agencyId: string, fields: { currency?: string; isActive?: boolean; deleted?: boolean; name?: string } = {}): Promise<string> {
  const id = randomUUID();
  await tenantTx(db, agencyId, (tx) =>
    tx.insert(clients).values({
      id,
      agencyId,
      name: fields.name ?? 'ACME Corp',
      currency: fields.currency ?? 'EUR',
      isActive: fields.isActive ?? true,
      deletedAt: fields.deleted ? new Date() : null,
      version: 1,
      updatedAt: new Date(),
    }),
  );
  return id;
}

export async function seedMember(db: Db, who: { agencyId: string; userId: string; role: string }, name = 'Marta'): Promise<void> {
  await tenantTx(db, who.agencyId, (tx) =>
    tx.insert(members).values({ id: memberRowId(who.agencyId, who.userId), agencyId: who.agencyId, userId: who.userId, name, email: null, role: who.role, version: 1 }),
  );
}

export async function seedAgency(db: Db, agencyId: string, timezone: string, currency = 'EUR'): Promise<void> {
  await tenantTx(db, agencyId, (tx) => tx.insert(agencies).values({ id: agencyId, agencyId, name: 'Agency', timezone, currency, version: 1 }));
}

/** The events the service wrote to its outbox for the agency, oldest first. */
export async function outboxEvents(db: Db, agencyId: string, name?: string): Promise<EventEnvelope[]> {
  const rows = await tenantTx(db, agencyId, (tx) => tx.select({ envelope: outbox.envelope }).from(outbox).orderBy(asc(outbox.seq)));
  return rows.map((r) => r.envelope as EventEnvelope).filter((e) => !name || e.name === name);
}
