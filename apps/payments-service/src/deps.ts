import type Stripe from 'stripe';
import type { Db } from '@atelier/platform';
import type { PaymentsConfig } from './config.js';

/** What the use cases of payments-service work with. */
export interface PaymentsDeps {
  db: Db;
  stripe: Stripe;
  config: PaymentsConfig;
}
