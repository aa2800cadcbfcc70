import type { Logger } from 'pino';
import { createService } from '@atelier/platform';
import { checkoutRoutes, publicCheckoutRoute } from './checkout/checkout-routes.js';
import type { PaymentsConfig } from './config.js';
import type { PaymentsDeps } from './deps.js';
import { invoiceReplicaConsumer } from './invoice-replica/invoice-replica-consumer.js';
import { createStripeClient } from './stripe/stripe-client.js';
import { stripeWebhookRoute } from './webhooks/webhook-routes.js';
import { webhookLedgerRoutes } from './webhooks/webhook-ledger-routes.js';
import { paymentRoutes } from './payments/payment-routes.js';
import { connectionRoutes } from './connection/connection-routes.js';
import { summaryRoutes } from './summary/summary-routes.js';
import { reconcileSchedule } from './reconcile/reconcile-service.js';

export const buildPaymentsService = (config: PaymentsConfig, options: { logger?: Logger } = {}) =>
  createService(
    'payments',
    config,
    ({ database, logger }) => {
      const deps: PaymentsDeps = { db: database.db, stripe: createStripeClient(config), config };
      return {
        publishes: true,
        routes: (app) => {
          app.use(checkoutRoutes(deps));
          app.use(webhookLedgerRoutes(deps));
          app.use(connectionRoutes(deps));
          app.use(summaryRoutes(deps));
          app.use(paymentRoutes(deps));
        },
        publicRoutes: [publicCheckoutRoute(deps), stripeWebhookRoute(deps)],
        consumers: [invoiceReplicaConsumer()],
        schedules: [reconcileSchedule(deps, config.RECONCILE_EVERY_MINUTES, logger)],
      };
    },
    options.logger,
  );
