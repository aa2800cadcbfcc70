import type { Readable } from 'node:stream';
import { newAttachmentId, type AttachmentListQuery, type AttachmentOwner, type AttachmentParentKind, type EventName } from '@atelier/contracts';
import { EDITORS, type Principal } from '../auth/guards.js';
import type { BlobInfo, BlobStore } from '../blobs/blob-store.js';
import type { outboxTable } from '../db/messaging-tables.js';
import type { Db } from '../db/database.js';
import { tenantTx, type TenantTx } from '../db/tenant-tx.js';
import { writeEvents } from '../bus/outbox-writer.js';
import { DomainError, forbiddenError, notFoundError } from '../errors/domain-error.js';
import { decodeCursor, encodeCursor } from '../http/pagination.js';
import { toAttachmentDto } from './attachment-mapper.js';
import { AttachmentRepository } from './attachment-repository.js';
import type { AttachmentRow, AttachmentsTable } from './attachment-table.js';
import type { AttachmentUsage } from './attachment-usage.js';
import { cleanFileName } from './file-names.js';
import type { ReceivedFile } from './multipart.js';

/** What an attachment hangs on, as its service knows it: the client it belongs to and the name the timeline shows. */
export interface AttachmentParent {
  clientId: string | null;
  name: string;
}

export interface AttachmentRules {
  owner: AttachmentOwner;
  table: AttachmentsTable;
  /** The agency's usage across the owning services (the same owner and attachments table). */
  usage: AttachmentUsage;
  outbox: ReturnType<typeof outboxTable>;
  blobs: BlobStore;
  /**
   * The parent as the caller may see it, or the service's own not-found error; `lock` (FOR SHARE)
   * when an attachment is about to be added, so a parent being deleted takes it with it.
   */
  parent(tx: TenantTx, who: Principal, kind: AttachmentParentKind, id: string, lock: boolean): Promise<AttachmentParent>;
  /** Names of the members who uploaded, when the service keeps a member replica. */
  memberNames?(tx: TenantTx, userIds: string[]): Promise<Map<string, string>>;
  maxBytes: number;
  quotaBytes: number;
}

const notFound = () => notFoundError('attachment.not_found', 'Attachment not found');
/** Room for the multipart framing and small fields around the file. */
export const MULTIPART_ALLOWANCE = 64 * 1024;
const CURSOR_KEY = 'attachments:created:desc';
const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

export const quotaExceeded = (used: number, size: number, quota: number) =>
  new DomainError('conflict', 'attachment.quota_exceeded', `The agency's attachments use ${mb(used)} of ${mb(quota)}; this file (${mb(size)}) does not fit. Remove attachments to make room.`, {
    errors: [{ path: 'file', message: 'does not fit in the storage quota' }],
  });

/**
 * The attachment use cases, one set for every service that keeps attachments (crm for clients,
 * projects for projects and tasks): list, add (streamed into the blob store), read, stream the
 * content, remove; the service supplies its parents and their visibility (`AttachmentRules`).
 */
export class AttachmentService {
  readonly repo: AttachmentRepository;

  constructor(readonly rules: AttachmentRules) {
    if (rules.usage.owner !== rules.owner) throw new Error(`attachment usage of ${rules.usage.owner} given to ${rules.owner}`);
    this.repo = new AttachmentRepository(rules.table);
  }

  get usage(): AttachmentUsage {
    return this.rules.usage;
  }

  private async names(tx: TenantTx, rows: AttachmentRow[]): Promise<Map<string, string>> {
    if (!this.rules.memberNames || rows.length === 0) return new Map();
    return this.rules.memberNames(tx, [...new Set(rows.map((r) => r.uploadedBy))]);
  }

  /** A parent's attachments, newest first; the page and its total from one snapshot. */
  list(db: Db, who: Principal, kind: AttachmentParentKind, parentId: string, q: AttachmentListQuery) {
    const after = decodeCursor(q.cursor, CURSOR_KEY, 'timestamp');
    return tenantTx(
      db,
      who.agencyId,
      async (tx) => {
        await this.rules.parent(tx, who, kind, parentId, false);
        const { rows, total } = await this.repo.page(tx, kind, parentId, after && { createdAt: after.value, id: after.id }, q.limit + 1);
        const page = rows.slice(0, q.limit);
        const last = page.at(-1);
        const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: CURSOR_KEY, value: last.createdAt.toISOString(), id: last.id }) : null;
        const names = await this.names(tx, page);
        return { data: page.map((r) => toAttachmentDto(r, names.get(r.uploadedBy) ?? null)), nextCursor, total };
      },
      { mode: 'snapshot' },
    );
  }

  /**
   * Adds the uploaded file to the parent. The parent and the quota are checked before the body is
   * read (a declared size that cannot fit is refused at once), the bytes stream into the blob store,
   * then the quota is checked again under the agency's quota lock with the real size and the row,
   * its event and the service's new usage snapshot are written; a file refused at that point is
   * deleted at once. The quota counts this service's live files and the other owners' last
   * usage snapshots (`AttachmentUsage`).
   */
  async add(db: Db, who: Principal, kind: AttachmentParentKind, parentId: string, declaredBytes: number, receive: (store: (file: Readable) => Promise<BlobInfo>) => Promise<ReceivedFile<BlobInfo> | null>) {
    const { blobs, maxBytes, quotaBytes } = this.rules;
    await tenantTx(db, who.agencyId, async (tx) => {
      await this.rules.parent(tx, who, kind, parentId, false);
      const used = await this.usage.used(tx);
      // The declared length includes the multipart framing: only a body that cannot fit even without it is refused unread.
      if (declaredBytes > MULTIPART_ALLOWANCE && used + declaredBytes - MULTIPART_ALLOWANCE > quotaBytes) throw quotaExceeded(used, declaredBytes, quotaBytes);
    });
    const received = await receive((file) => blobs.put(who.agencyId, file, { maxBytes }));
    if (!received) throw new DomainError('invalid', 'attachment.invalid_upload', 'The upload has no file', { errors: [{ path: 'file', message: 'is required' }] });
    const blob = received.result;
    try {
      if (blob.size === 0) throw new DomainError('invalid', 'attachment.invalid_upload', 'The file is empty', { errors: [{ path: 'file', message: 'is empty' }] });
      return await tenantTx(db, who.agencyId, async (tx) => {
        const parent = await this.rules.parent(tx, who, kind, parentId, true);
        await this.usage.lock(tx, who.agencyId);
        const used = await this.usage.used(tx);
        if (used + blob.size > quotaBytes) throw quotaExceeded(used, blob.size, quotaBytes);
        const row = await this.repo.insert(tx, {
          id: newAttachmentId(this.rules.owner),
          agencyId: who.agencyId,
          parentKind: kind,
          parentId,
          clientId: parent.clientId,
          blobId: blob.id,
          fileName: cleanFileName(received.fileName),
          size: blob.size,
          contentType: blob.contentType,
          sha256: blob.sha256,
          uploadedBy: who.userId,
        });
        const names = await this.names(tx, [row]);
        const attachment = toAttachmentDto(row, names.get(row.uploadedBy) ?? null);
        await writeEvents(tx, this.rules.outbox, [
          {
            name: `${this.rules.owner}.attachment.added.v1` as Extract<EventName, `${string}.attachment.added.v1`>,
            agencyId: who.agencyId,
            actorId: who.userId,
            payload: { clientId: parent.clientId, attachment, parent: { kind, id: parentId, name: parent.name } },
          },
        ]);
        await this.usage.publish(tx, who.agencyId, who.userId);
        return attachment;
      });
    } catch (err) {
      await blobs.delete(who.agencyId, blob.id).catch(() => {});
      throw err;
    }
  }

  get(db: Db, who: Principal, id: string) {
    return tenantTx(db, who.agencyId, async (tx) => {
      const row = await this.visible(tx, who, id);
      const names = await this.names(tx, [row]);
      return toAttachmentDto(row, names.get(row.uploadedBy) ?? null);
    });
  }

  /** The attachment and its bytes, streamed from the blob store. */
  async open(db: Db, who: Principal, id: string): Promise<{ attachment: AttachmentRow; body: Readable }> {
    const row = await tenantTx(db, who.agencyId, (tx) => this.visible(tx, who, id), { mode: 'snapshot' });
    const blob = await this.rules.blobs.get(who.agencyId, row.blobId);
    if (!blob) throw notFound();
    return { attachment: row, body: blob.body };
  }

  /** Removes an attachment: its uploader, or a manager and above. The blob goes with the collection job. */
  remove(db: Db, who: Principal, id: string): Promise<void> {
    return tenantTx(db, who.agencyId, async (tx) => {
      const row = await this.visible(tx, who, id);
      if (row.uploadedBy !== who.userId && !EDITORS.includes(who.role)) throw forbiddenError('attachment.not_uploader', 'Only the uploader or a manager can remove this attachment');
      const parent = await this.rules.parent(tx, who, row.parentKind, row.parentId, false);
      // The quota lock before the row's: a parent's cascade takes them in that order too.
      await this.usage.lock(tx, who.agencyId);
      if (!(await this.repo.softDelete(tx, id))) throw notFound();
      await writeEvents(tx, this.rules.outbox, [
        {
          name: `${this.rules.owner}.attachment.removed.v1` as Extract<EventName, `${string}.attachment.removed.v1`>,
          agencyId: who.agencyId,
          actorId: who.userId,
          payload: { clientId: row.clientId, attachmentId: row.id, fileName: row.fileName, parent: { kind: row.parentKind, id: row.parentId, name: parent.name } },
        },
      ]);
      await this.usage.publish(tx, who.agencyId, who.userId);
      await this.rules.blobs.release(tx, who.agencyId);
    });
  }

  /**
   * In the transaction that deletes parents: their attachments are soft-deleted with them (the
   * parent's own deleted event covers them), the service's lower usage is published (one snapshot
   * for all the groups) and their blobs are queued for collection. The quota lock comes first, as
   * in `remove`, so the two never wait on each other's rows.
   */
  async removeAllOf(tx: TenantTx, agencyId: string, actorId: string | null, parents: { kind: AttachmentParentKind; ids: string[] }[]): Promise<void> {
    await this.usage.lock(tx, agencyId);
    let removed = 0;
    for (const p of parents) removed += await this.repo.softDeleteOf(tx, p.kind, p.ids);
    if (removed === 0) return;
    await this.usage.publish(tx, agencyId, actorId);
    await this.rules.blobs.release(tx, agencyId);
  }

  /** A live attachment whose parent the caller can see; otherwise not found (never revealing it exists). */
  private async visible(tx: TenantTx, who: Principal, id: string): Promise<AttachmentRow> {
    const row = await this.repo.find(tx, id);
    if (!row) throw notFound();
    try {
      await this.rules.parent(tx, who, row.parentKind, row.parentId, false);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'not_found') throw notFound();
      throw err;
    }
    return row;
  }
}
