import { sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { webhookEvents } from '../db/schema.js';

/** When the agency's newest Stripe event reached the ledger (null: none yet). */
export async function lastWebhookReceivedAt(tx: Tx): Promise<Date | null> {
  const [row] = await tx.select({ at: sql<Date | null>`max(${webhookEvents.receivedAt})` }).from(webhookEvents);
  const at = row?.at ?? null;
  // max() comes back through the driver untyped: a string, unlike a plain column read.
  return at === null ? null : new Date(at);
}
