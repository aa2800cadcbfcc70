import type { Logger } from 'pino';
import { createService } from '@atelier/platform';
import { clientReplicaConsumer } from './client-replica/client-replica-consumer.js';
import type { ProjectsConfig } from './config.js';

export const buildProjectsService = (config: ProjectsConfig, options: { logger?: Logger } = {}) =>
  createService(
    'projects',
    config,
    () => ({
      publishes: true,
      // No domain routes yet; the kit serves /healthz and /readyz.
      consumers: [clientReplicaConsumer()],
    }),
    options.logger,
  );
