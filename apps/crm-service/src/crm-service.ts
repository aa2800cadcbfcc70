import type { Logger } from 'pino';
import { createService } from '@atelier/platform';
import { clientRoutes } from './clients/client-routes.js';
import type { CrmConfig } from './config.js';
import { contactRoutes } from './contacts/contact-routes.js';
import { exportRoutes } from './exports/export-routes.js';
import { importRoutes } from './imports/import-routes.js';
import { ImportRunner, type ImportRunnerOptions } from './imports/import-runner.js';
import { noteRoutes } from './notes/note-routes.js';
import { searchRoutes } from './search/search-routes.js';
import { timelineConsumer } from './timeline/timeline-consumer.js';
import { timelineRoutes } from './timeline/timeline-routes.js';

export const buildCrmService = (
  config: CrmConfig,
  options: { logger?: Logger; imports?: Partial<ImportRunnerOptions> & { maxUploadBytes?: number } } = {},
) =>
  createService(
    'crm',
    config,
    ({ database, logger }) => {
      // CSV import jobs run in-process on every replica (see imports/import-runner.ts).
      const importRunner = new ImportRunner(database.db, logger, options.imports);
      return {
        publishes: true,
        routes: (app) => {
          app.use(clientRoutes(database.db));
          app.use(timelineRoutes(database.db));
          app.use(contactRoutes(database.db));
          app.use(noteRoutes(database.db));
          app.use(searchRoutes(database.db));
          app.use(importRoutes(database, importRunner, { maxUploadBytes: options.imports?.maxUploadBytes }));
          app.use(exportRoutes(database.sql));
        },
        consumers: [timelineConsumer()],
        workers: [importRunner],
      };
    },
    options.logger,
  );
