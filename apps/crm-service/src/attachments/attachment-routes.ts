import { attachmentRoutes, type AttachmentService, type Db } from '@atelier/platform';
import type { Router } from 'express';

/** `GET, POST /api/clients/:id/attachments` and the attachment's own routes (the gateway routes crm-owned ids here). */
export const clientAttachmentRoutes = (db: Db, attachments: AttachmentService): Router => attachmentRoutes(db, attachments, [{ path: '/api/clients/:id/attachments', kind: 'client' }]);
