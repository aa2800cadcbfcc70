import { z } from 'zod';
import { ATTACHMENT_OWNERS, type AttachmentOwner } from '../attachment-ids.js';
import { Uuid } from '../common.js';
import { Attachment, AttachmentParentKind } from '../http/attachments.js';

/** What the attachment hangs on, with the name it had then: the timeline says "Mock-ups.pdf added to Website Redesign". */
const AttachmentParent = z.object({ kind: AttachmentParentKind, id: Uuid, name: z.string() });

/** An attachment added; names its client (events.md), so the client's timeline shows it. */
export const AttachmentAddedPayload = z.object({ clientId: Uuid.nullable(), attachment: Attachment, parent: AttachmentParent });
export type AttachmentAddedPayload = z.infer<typeof AttachmentAddedPayload>;

/** An attachment removed by someone (not the cascade of its parent's deletion, which that event covers). */
export const AttachmentRemovedPayload = z.object({ clientId: Uuid.nullable(), attachmentId: Uuid, fileName: z.string(), parent: AttachmentParent });
export type AttachmentRemovedPayload = z.infer<typeof AttachmentRemovedPayload>;

/** The services that keep attachments, as the usage events name them. */
export const AttachmentOwnerName = z.enum(Object.keys(ATTACHMENT_OWNERS) as [AttachmentOwner, ...AttachmentOwner[]]);

/**
 * How many bytes one owning service's live attachments take for the agency, as a versioned
 * snapshot (the newest version wins): the other owners add it to their own usage to enforce the
 * agency's one quota. Names no client: it is no timeline entry.
 */
export const AttachmentUsagePayload = z.object({ owner: AttachmentOwnerName, bytes: z.number().int().nonnegative(), version: z.number().int().positive() });
export type AttachmentUsagePayload = z.infer<typeof AttachmentUsagePayload>;

export const attachmentEvents = {
  'crm.attachment.added.v1': AttachmentAddedPayload,
  'crm.attachment.removed.v1': AttachmentRemovedPayload,
  'projects.attachment.added.v1': AttachmentAddedPayload,
  'projects.attachment.removed.v1': AttachmentRemovedPayload,
  'crm.attachment.usage.v1': AttachmentUsagePayload,
  'projects.attachment.usage.v1': AttachmentUsagePayload,
} as const;
