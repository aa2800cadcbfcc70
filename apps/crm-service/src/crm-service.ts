import type { Logger } from 'pino';
import { createService } from '@atelier/platform';
import { clientRoutes } from './clients/client-routes.js';
import type { CrmConfig } from './config.js';
import { timelineConsumer } from './timeline/timeline-consumer.js';
import { timelineRoutes } from './timeline/timeline-routes.js';

export const buildCrmService = (config: CrmConfig, options: { logger?: Logger; retryDelaysMs?: number[] } = {}) =>
  createService(
    'crm',
    config,
    ({ database }) => ({
      publishes: true,
      routes: (app) => {
        app.use(clientRoutes(database.db));
        app.use(timelineRoutes(database.db));
      },
      consumers: [timelineConsumer(options.retryDelaysMs)],
    }),
    options.logger,
  );
