import { AttachmentService, AttachmentUsage, notFoundError, type BlobStore } from '@atelier/platform';
import { requireClient } from '../clients/client-service.js';
import type { CrmConfig } from '../config.js';
import { attachmentUsage, attachments, outbox } from '../db/schema.js';
import { selectMemberNames } from './attachment-repository.js';

/** crm's share of the agency's attachment quota, and what it knows of the other owners' (its consumer and resync source). */
export const crmAttachmentUsage = new AttachmentUsage({ owner: 'crm', attachments, usage: attachmentUsage, outbox });

/**
 * Client attachments: the kit's attachment use cases (libs/platform/src/attachments) on crm's
 * tables. Every member sees every client, so every member may attach to any; the uploader or a
 * manager and above may remove. A client being deleted is locked FOR SHARE while a file is added,
 * so the file cannot outlive the cascade.
 */
export function crmAttachments(blobs: BlobStore, config: Pick<CrmConfig, 'ATTACHMENT_MAX_BYTES' | 'ATTACHMENT_QUOTA_BYTES'>): AttachmentService {
  return new AttachmentService({
    owner: 'crm',
    table: attachments,
    usage: crmAttachmentUsage,
    outbox,
    blobs,
    maxBytes: config.ATTACHMENT_MAX_BYTES,
    quotaBytes: config.ATTACHMENT_QUOTA_BYTES,
    async parent(tx, _who, kind, id, lock) {
      if (kind !== 'client') throw notFoundError('attachment.not_found', 'Attachment not found');
      const client = await requireClient(tx, id, lock ? 'share' : undefined);
      return { clientId: client.id, name: client.name };
    },
    memberNames: (tx, userIds) => selectMemberNames(tx, tx.agencyId as string, userIds),
  });
}

/** What keeps crm's blobs alive: a live attachment naming them. */
export const crmBlobReferences = { references: [{ table: 'crm.attachments', column: 'blob_id', live: 'deleted_at is null' }] };
