import { projectSnapshots, taskSnapshots } from '@atelier/contracts';
import { replicaConsumer } from '@atelier/platform';
import { projects, tasks } from '../db/schema.js';

/** Keeps `billing.projects` at the newest version of each project: an invoice's project, its currency and name. */
export const projectReplicaConsumer = () =>
  replicaConsumer({
    queue: 'billing.project-replica',
    bindings: ['projects.project.*.*'],
    table: projects,
    events: projectSnapshots,
    live: (p) => ({
      clientId: p.clientId,
      name: p.name,
      status: p.status,
      currency: p.currency,
      isBillable: p.isBillable,
      hourlyRate: p.hourlyRate,
      updatedAt: new Date(p.updatedAt),
      deletedAt: null,
    }),
    tombstone: (p) => ({
      set: { name: p.name, deletedAt: new Date(p.deletedAt), updatedAt: new Date(p.deletedAt) },
      firstSeen: { clientId: p.clientId },
    }),
  });

/** Keeps `billing.tasks` at the newest version of each task: their titles describe lines grouped by task. */
export const taskReplicaConsumer = () =>
  replicaConsumer({
    queue: 'billing.task-replica',
    bindings: ['projects.task.*.*'],
    table: tasks,
    events: taskSnapshots,
    live: (t) => ({ projectId: t.projectId, title: t.task.title, status: t.task.status, updatedAt: new Date(t.task.updatedAt), deletedAt: null }),
    // A deleted task keeps its title: time logged on it may still be billed under that name.
    tombstone: (t) => ({
      set: { title: t.title, deletedAt: new Date(t.deletedAt), updatedAt: new Date(t.deletedAt) },
      firstSeen: { projectId: t.projectId },
    }),
  });
