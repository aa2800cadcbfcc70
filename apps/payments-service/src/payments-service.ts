import type { Logger } from 'pino';
import { createService } from '@atelier/platform';
import type { PaymentsConfig } from './config.js';

export const buildPaymentsService = (config: PaymentsConfig, options: { logger?: Logger } = {}) =>
  createService(
    'payments',
    config,
    () => ({
      publishes: true,
      // No domain routes yet; the kit serves /healthz and /readyz.
    }),
    options.logger,
  );
