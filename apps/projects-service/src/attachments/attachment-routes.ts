import { attachmentRoutes, type AttachmentService, type Db } from '@atelier/platform';
import type { Router } from 'express';

/** `GET, POST /api/projects/:id/attachments`, `/api/tasks/:id/attachments` and the attachment's own routes (the gateway routes projects-owned ids here). */
export const projectAttachmentRoutes = (db: Db, attachments: AttachmentService): Router =>
  attachmentRoutes(db, attachments, [
    { path: '/api/projects/:id/attachments', kind: 'project' },
    { path: '/api/tasks/:id/attachments', kind: 'task' },
  ]);
