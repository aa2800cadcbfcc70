import { isInlinePreviewable, type Attachment } from '@atelier/contracts';
import type { AttachmentRow } from './attachment-table.js';

export const toAttachmentDto = (row: AttachmentRow, uploaderName: string | null): Attachment => ({
  id: row.id,
  parentKind: row.parentKind,
  parentId: row.parentId,
  clientId: row.clientId,
  fileName: row.fileName,
  size: row.size,
  contentType: row.contentType,
  sha256: row.sha256,
  uploadedBy: row.uploadedBy,
  uploaderName,
  createdAt: row.createdAt.toISOString(),
  contentUrl: `/api/attachments/${row.id}/content`,
  previewUrl: isInlinePreviewable(row.contentType) ? `/api/attachments/${row.id}/content?inline=1` : null,
});
