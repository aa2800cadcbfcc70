import type { PaymentsConnection, Role } from '@atelier/contracts';
import { DomainError, tenantTx, type Principal } from '@atelier/platform';
import { DEV_STRIPE_SECRET_KEY, DEV_STRIPE_WEBHOOK_SECRET, type PaymentsConfig } from '../config.js';
import type { PaymentsDeps } from '../deps.js';
import { lastWebhookReceivedAt } from './connection-repository.js';

const ADMINS: readonly Role[] = ['owner', 'admin'];
const STRIPE_API_HOST = 'api.stripe.com';

/** What the config says of the connection; never a key itself, not even in part. */
export function describeConnection(config: Pick<PaymentsConfig, 'STRIPE_API_BASE' | 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET'>): Omit<PaymentsConnection, 'lastWebhookReceivedAt'> {
  const base = config.STRIPE_API_BASE ? new URL(config.STRIPE_API_BASE) : null;
  // A base URL naming Stripe's own host is Stripe; anything else is the emulator (nothing else speaks Stripe here).
  const apiHost = base ? base.host : STRIPE_API_HOST;
  return {
    mode: base && base.hostname !== STRIPE_API_HOST ? 'emulator' : 'stripe',
    livemode: /^(sk|rk)_live_/.test(config.STRIPE_SECRET_KEY),
    apiHost,
    developmentKeys: config.STRIPE_SECRET_KEY === DEV_STRIPE_SECRET_KEY,
    webhookSecretConfigured: config.STRIPE_WEBHOOK_SECRET !== DEV_STRIPE_WEBHOOK_SECRET,
  };
}

export async function getConnection(deps: PaymentsDeps, who: Principal): Promise<PaymentsConnection> {
  if (!ADMINS.includes(who.role)) throw new DomainError('forbidden', 'payment.forbidden', 'Only owners and admins see how payments reach Stripe');
  const last = await tenantTx(deps.db, who.agencyId, (tx) => lastWebhookReceivedAt(tx), { mode: 'snapshot' });
  return { ...describeConnection(deps.config), lastWebhookReceivedAt: last ? last.toISOString() : null };
}
