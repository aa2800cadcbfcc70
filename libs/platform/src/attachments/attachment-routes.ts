import { AttachmentContentQuery, AttachmentListQuery, type AttachmentParentKind } from '@atelier/contracts';
import { Router } from 'express';
import { principalOf } from '../auth/guards.js';
import type { Db } from '../db/database.js';
import { DomainError } from '../errors/domain-error.js';
import { uuidParam, validate } from '../http/validate.js';
import { sendAttachmentContent } from './attachment-content.js';
import { MULTIPART_ALLOWANCE, type AttachmentService } from './attachment-service.js';
import { fileTooLarge, receiveFile } from './multipart.js';

export interface AttachmentParentRoute {
  /** `/api/clients/:id/attachments`: `:id` is the parent's. */
  path: string;
  kind: AttachmentParentKind;
}

/**
 * The attachment routes of a service: list and upload under each parent path, and the
 * attachment's own `/api/attachments/:id` (details, delete) and `/content` (the bytes). Every
 * member may list and attach to what they can see; who may remove is the service's rule.
 */
export function attachmentRoutes(db: Db, attachments: AttachmentService, parents: AttachmentParentRoute[]): Router {
  const r = Router();
  const { maxBytes } = attachments.rules;

  for (const parent of parents) {
    r.get(parent.path, async (req, res) => {
      res.json(await attachments.list(db, principalOf(res), parent.kind, uuidParam(req.params), validate(AttachmentListQuery, req.query, 'query')));
    });

    // The multipart edge (content type, size, streaming the part into the blob store) is HTTP's; the rules are the service's.
    r.post(parent.path, async (req, res) => {
      const who = principalOf(res);
      const parentId = uuidParam(req.params);
      if (!req.is('multipart/form-data')) throw new DomainError('unsupported', 'attachment.not_multipart', 'Upload the file as multipart/form-data in a part named file');
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBytes + MULTIPART_ALLOWANCE) {
        // Certainly too large: answer without reading it, and close so the client stops sending.
        res.setHeader('Connection', 'close');
        throw fileTooLarge(maxBytes);
      }
      try {
        const attachment = await attachments.add(db, who, parent.kind, parentId, declared, (store) => receiveFile(req, maxBytes, store));
        res.status(201).location(`/api/attachments/${attachment.id}`).json(attachment);
      } catch (err) {
        // Refused before the body was read (or midway): close rather than read the rest.
        if (!req.complete) res.setHeader('Connection', 'close');
        throw err;
      }
    });
  }

  r.get('/api/attachments/:id', async (req, res) => {
    res.json(await attachments.get(db, principalOf(res), uuidParam(req.params)));
  });

  r.delete('/api/attachments/:id', async (req, res) => {
    await attachments.remove(db, principalOf(res), uuidParam(req.params));
    res.status(204).end();
  });

  r.get('/api/attachments/:id/content', async (req, res) => {
    const q = validate(AttachmentContentQuery, req.query, 'query');
    const { attachment, body } = await attachments.open(db, principalOf(res), uuidParam(req.params));
    await sendAttachmentContent(res, attachment, body, q.inline === '1');
  });

  return r;
}
