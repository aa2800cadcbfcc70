import type { Logger } from 'pino';
import { createService } from '@atelier/platform';
import { clientReplicaConsumer } from './client-replica/client-replica-consumer.js';
import type { BillingConfig } from './config.js';

export const buildBillingService = (config: BillingConfig, options: { logger?: Logger } = {}) =>
  createService(
    'billing',
    config,
    () => ({
      publishes: true,
      // No domain routes yet; the kit serves /healthz and /readyz.
      consumers: [clientReplicaConsumer()],
    }),
    options.logger,
  );
