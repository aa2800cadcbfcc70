import type Stripe from 'stripe';
import type { ListResponse, Role, WebhookEvent, WebhookEventListQuery } from '@atelier/contracts';
import { decodeCursor, DomainError, encodeCursor, tenantTx, type Principal } from '@atelier/platform';
import type { PaymentsDeps } from '../deps.js';
import { applyStripeEvent } from './webhook-service.js';
import { selectLedger, selectLedgerRowById, type WebhookEventRow } from './webhook-repository.js';

const ADMINS: readonly Role[] = ['owner', 'admin'];
const cursorKey = (order: string) => `webhook-events:receivedAt:${order}`;

function requireAdmin(who: Principal): void {
  if (!ADMINS.includes(who.role)) throw new DomainError('forbidden', 'payment.forbidden', 'Only owners and admins see the webhook ledger');
}

export const toWebhookEvent = (row: WebhookEventRow): WebhookEvent => ({
  id: row.id,
  stripeEventId: row.stripeEventId,
  type: row.type,
  receivedAt: row.receivedAt.toISOString(),
  status: row.status as WebhookEvent['status'],
  attempts: row.attempts,
  error: row.error,
});

export async function listWebhookEvents(deps: PaymentsDeps, who: Principal, q: WebhookEventListQuery): Promise<ListResponse<WebhookEvent>> {
  requireAdmin(who);
  const order = q.order ?? 'desc';
  const cursor = decodeCursor(q.cursor, cursorKey(order), 'timestamp');
  const { rows, total } = await tenantTx(
    deps.db,
    who.agencyId,
    (tx) => selectLedger(tx, { status: q.status, type: q.type, limit: q.limit, order, after: cursor ? { receivedAt: new Date(cursor.value), id: cursor.id } : undefined }),
    { mode: 'snapshot' },
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { data: page.map(toWebhookEvent), total, nextCursor: rows.length > q.limit && last ? encodeCursor({ key: cursorKey(order), value: last.receivedAt.toISOString(), id: last.id }) : null };
}

/** Applies a recorded event again (after a failure, say): Stripe's current state decides, so a replay never goes backwards. */
export async function replayWebhookEvent(deps: PaymentsDeps, who: Principal, id: string): Promise<WebhookEvent> {
  requireAdmin(who);
  const row = await tenantTx(deps.db, who.agencyId, (tx) => selectLedgerRowById(tx, id));
  if (!row) throw new DomainError('not_found', 'webhook_event.not_found', 'No Stripe event with this id in the ledger');
  await applyStripeEvent(deps, row.payload as Stripe.Event, { replay: true });
  const after = await tenantTx(deps.db, who.agencyId, (tx) => selectLedgerRowById(tx, id));
  return toWebhookEvent(after ?? row);
}
