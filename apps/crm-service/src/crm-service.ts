import type { Logger } from 'pino';
import { createService, type JobRunnerOptions } from '@atelier/platform';
import { clientAttachmentRoutes } from './attachments/attachment-routes.js';
import { crmAttachments, crmAttachmentUsage, crmBlobReferences } from './attachments/attachment-service.js';
import { clientRoutes } from './clients/client-routes.js';
import type { CrmConfig } from './config.js';
import { contactRoutes } from './contacts/contact-routes.js';
import { exportRoutes } from './exports/export-routes.js';
import { importRoutes } from './imports/import-routes.js';
import { ImportJobs, type ImportRunnerOptions } from './imports/import-runner.js';
import { noteRoutes } from './notes/note-routes.js';
import { searchRoutes } from './search/search-routes.js';
import { memberNameConsumer } from './members/member-name-consumer.js';
import { timelineConsumer } from './timeline/timeline-consumer.js';
import { timelineRoutes } from './timeline/timeline-routes.js';

export const buildCrmService = (
  config: CrmConfig,
  options: { logger?: Logger; imports?: Partial<ImportRunnerOptions> & { maxUploadBytes?: number }; jobRunner?: Partial<JobRunnerOptions>; blobs?: { graceMs?: number } } = {},
) =>
  createService(
    'crm',
    config,
    ({ database, logger, jobs, blobs }) => {
      // CSV imports run as kit jobs on every replica (see imports/import-runner.ts).
      const imports = new ImportJobs(jobs, logger, options.imports);
      const attachments = crmAttachments(blobs, config);
      return {
        publishes: true,
        routes: (app) => {
          app.use(clientRoutes(database.db, attachments));
          app.use(clientAttachmentRoutes(database.db, attachments));
          app.use(timelineRoutes(database.db));
          app.use(contactRoutes(database.db));
          app.use(noteRoutes(database.db));
          app.use(searchRoutes(database.db));
          app.use(importRoutes(database.db, imports, { maxUploadBytes: options.imports?.maxUploadBytes }));
          app.use(exportRoutes(database.db));
        },
        consumers: [timelineConsumer(), memberNameConsumer(), crmAttachmentUsage.consumer()],
        jobs: [imports.definition],
        blobs: { ...crmBlobReferences, ...options.blobs },
        schedules: [imports.sweep],
        jobRunner: options.jobRunner,
      };
    },
    options.logger,
  );
