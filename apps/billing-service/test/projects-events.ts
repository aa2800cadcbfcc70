import { randomUUID } from 'node:crypto';
import type { EventEnvelope, TimeEntrySnapshotPayload } from '@atelier/contracts';

/** Builders of the gateway's and projects' events as billing's replicas receive them (tests only). */
export const envelope = (agencyId: string, name: string, payload: unknown): EventEnvelope => ({
  id: randomUUID(),
  name,
  occurredAt: new Date().toISOString(),
  agencyId,
  actorId: null,
  payload,
  trace: {},
});

const at = '2026-11-10T09:00:00.000Z';

export const projectPayload = (id: string, clientId: string, version: number, fields: { name?: string; currency?: string; hourlyRate?: string | null; status?: string } = {}) => ({
  clientId,
  version,
  project: {
    id,
    clientId,
    name: fields.name ?? `Project v${version}`,
    description: null,
    status: fields.status ?? 'active',
    startDate: null,
    dueDate: null,
    budgetHours: null,
    budgetAmount: null,
    hourlyRate: fields.hourlyRate === undefined ? '100.00' : fields.hourlyRate,
    currency: fields.currency ?? 'EUR',
    isBillable: true,
    createdAt: at,
    updatedAt: at,
  },
});

export const taskPayload = (id: string, projectId: string, clientId: string, version: number, title = `Task v${version}`) => ({
  clientId,
  projectId,
  projectName: 'Website',
  version,
  task: { id, projectId, title, description: null, status: 'todo', priority: 'medium', assigneeId: null, dueDate: null, estimatedHours: null, createdBy: null, createdAt: at, updatedAt: at },
});

export interface EntryFields {
  projectId: string;
  clientId: string;
  userId?: string;
  taskId?: string | null;
  date?: string;
  minutes?: number;
  roundedMinutes?: number;
  description?: string | null;
  isBillable?: boolean;
  hourlyRate?: string | null;
  amount?: string;
  currency?: string;
  billingStatus?: 'unbilled' | 'reserved' | 'billed';
  invoiceId?: string | null;
}

export function entryPayload(id: string, version: number, f: EntryFields): TimeEntrySnapshotPayload {
  const minutes = f.minutes ?? 60;
  return {
    clientId: f.clientId,
    projectId: f.projectId,
    version,
    entry: {
      id,
      projectId: f.projectId,
      taskId: f.taskId ?? null,
      userId: f.userId ?? '00000000-0000-4000-8000-000000000001',
      date: f.date ?? '2026-11-10',
      minutes,
      roundedMinutes: f.roundedMinutes ?? minutes,
      description: f.description === undefined ? null : f.description,
      isBillable: f.isBillable ?? true,
      hourlyRate: f.hourlyRate === undefined ? '100.00' : f.hourlyRate,
      rateSource: f.hourlyRate === null ? null : 'project',
      amount: f.amount ?? '100.00',
      currency: f.currency ?? 'EUR',
      startedAt: null,
      endedAt: null,
      billingStatus: f.billingStatus ?? 'unbilled',
      invoiceId: f.invoiceId ?? null,
      createdAt: at,
      updatedAt: at,
    },
  };
}

export const entryDeleted = (id: string, version: number, f: { projectId: string; clientId: string }) => ({
  clientId: f.clientId,
  projectId: f.projectId,
  timeEntryId: id,
  version,
  deletedAt: '2026-11-11T10:00:00.000Z',
});

export const agencyPayload = (agencyId: string, version: number, name: string, extra: Record<string, unknown> = {}) => ({
  version,
  agency: { id: agencyId, name, timezone: 'Europe/Berlin', currency: 'EUR', email: null, phone: null, website: null, address: null, taxId: null, logo: null, ...extra },
});
