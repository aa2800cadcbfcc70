import { AttachmentService, AttachmentUsage, type BlobStore, type TenantTx } from '@atelier/platform';
import type { ProjectsConfig } from '../config.js';
import { attachmentUsage, attachments, outbox } from '../db/schema.js';
import { requireProject } from '../projects/project-service.js';
import { requireTask } from '../tasks/task-service.js';
import { selectMemberNames, selectTaskIdsOfProject } from './attachment-repository.js';

/** projects' share of the agency's attachment quota, and what it knows of the other owners' (its consumer and resync source). */
export const projectAttachmentUsage = new AttachmentUsage({ owner: 'projects', attachments, usage: attachmentUsage, outbox });

/**
 * Project and task attachments: the kit's attachment use cases (libs/platform/src/attachments) on
 * projects' tables, as crm has them for clients. Every member sees every project and task, so
 * every member may attach; the uploader or a manager and above may remove. The parent is locked
 * against a concurrent delete (the project's board lock, a task's row lock) while a file is added.
 */
export function projectAttachments(blobs: BlobStore, config: Pick<ProjectsConfig, 'ATTACHMENT_MAX_BYTES' | 'ATTACHMENT_QUOTA_BYTES'>): AttachmentService {
  return new AttachmentService({
    owner: 'projects',
    table: attachments,
    usage: projectAttachmentUsage,
    outbox,
    blobs,
    maxBytes: config.ATTACHMENT_MAX_BYTES,
    quotaBytes: config.ATTACHMENT_QUOTA_BYTES,
    async parent(tx, _who, kind, id, lock) {
      if (kind === 'task') {
        const task = await requireTask(tx, id, lock);
        const project = await requireProject(tx, task.projectId);
        return { clientId: project.clientId, name: `${task.title} (${project.name})` };
      }
      const project = await requireProject(tx, id, lock ? 'board' : undefined);
      return { clientId: project.clientId, name: project.name };
    },
    memberNames: (tx, userIds) => selectMemberNames(tx, userIds),
  });
}

/** A deleted project takes its attachments and its tasks' with it (one usage snapshot for all). */
export async function removeProjectAttachments(tx: TenantTx, attachmentService: AttachmentService, agencyId: string, actorId: string, projectId: string): Promise<void> {
  await attachmentService.removeAllOf(tx, agencyId, actorId, [
    { kind: 'project', ids: [projectId] },
    { kind: 'task', ids: await selectTaskIdsOfProject(tx, projectId) },
  ]);
}

/** What keeps projects' blobs alive: a live attachment naming them. */
export const projectBlobReferences = { references: [{ table: 'projects.attachments', column: 'blob_id', live: 'deleted_at is null' }] };
