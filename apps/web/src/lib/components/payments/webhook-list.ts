import type { WebhookEvent } from '@atelier/contracts';
import type { ListRequestOptions } from '$lib/components/ui/list/list-request';

export type WebhookFilters = { status: string };

export const webhookStatusLabels = { processed: 'Processed', ignored: 'Ignored', failed: 'Failed' } as const satisfies Record<WebhookEvent['status'], string>;
export const webhookStatusBadges = { processed: 'badge-success', ignored: 'badge-neutral', failed: 'badge-danger' } as const satisfies Record<WebhookEvent['status'], string>;
const isWebhookStatus = (v: string): v is WebhookEvent['status'] => v in webhookStatusLabels;

/** Settings › Payments' ledger of Stripe events, newest first, by status. */
export const webhookListOptions: ListRequestOptions<'receivedAt', WebhookFilters> = {
  path: '/api/payments/webhook-events',
  sorts: { receivedAt: 'desc' },
  defaultSort: 'receivedAt',
  filters: { status: 'all' },
  query: (f) => ({ status: isWebhookStatus(f.status) ? f.status : undefined }),
};

/** What a replay did, for people: the event's status after it, and its error when it failed again. */
export function replayOutcome(before: Pick<WebhookEvent, 'stripeEventId'>, after: Pick<WebhookEvent, 'status' | 'error'>): string {
  const status = webhookStatusLabels[after.status].toLowerCase();
  return after.status === 'failed' ? `${before.stripeEventId} was replayed and failed again: ${after.error ?? 'no reason given'}.` : `${before.stripeEventId} was replayed: ${status}.`;
}
