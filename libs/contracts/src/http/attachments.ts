import { z } from 'zod';
import { Timestamp, Uuid, listResponse } from '../common.js';

/** What an attachment hangs on: a client (crm), a project or a task (projects). */
export const AttachmentParentKind = z.enum(['client', 'project', 'task']);
export type AttachmentParentKind = z.infer<typeof AttachmentParentKind>;

export const Attachment = z
  .object({
    id: Uuid,
    parentKind: AttachmentParentKind,
    parentId: Uuid,
    /** The client the parent belongs to (the client itself, or the project's client). */
    clientId: Uuid.nullable(),
    /** As uploaded, cleaned of control characters and path parts; downloads use a safe form of it. */
    fileName: z.string(),
    /** Bytes. */
    size: z.number().int().nonnegative(),
    /** Sniffed from the content, never taken from the upload's headers. */
    contentType: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    uploadedBy: Uuid,
    /** The uploader's name when the service knows the member; null otherwise. */
    uploaderName: z.string().nullable(),
    createdAt: Timestamp,
    /** Download (always `Content-Disposition: attachment`). */
    contentUrl: z.string(),
    /** A script-less inline view, for images (PNG, JPEG, GIF, WebP) and PDFs only; null for every other type. */
    previewUrl: z.string().nullable(),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof Attachment>;

export const AttachmentListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export type AttachmentListQuery = z.infer<typeof AttachmentListQuery>;
export const AttachmentList = listResponse(Attachment);

export const AttachmentContentQuery = z.object({
  /** `1`: show an image or PDF inline (a sandboxed, script-less response); any other type still downloads. */
  inline: z.enum(['0', '1']).optional(),
});
export type AttachmentContentQuery = z.infer<typeof AttachmentContentQuery>;

/** The multipart upload: one part named `file` (its filename is kept). */
export const AttachmentUpload = z
  .object({ file: z.string().meta({ format: 'binary', description: 'The file; at most 50 MB by default' }) })
  .meta({ id: 'AttachmentUpload' });

/** Content types an attachment may be previewed inline as: none of them can run script. */
export const INLINE_PREVIEW_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;
export const isInlinePreviewable = (contentType: string): boolean => (INLINE_PREVIEW_TYPES as readonly string[]).includes(contentType);
