import { pgSchema } from 'drizzle-orm/pg-core';
import { inboxTable, outboxTable } from '@atelier/platform';

export const payments = pgSchema('payments');

export const outbox = outboxTable(payments);
export const inbox = inboxTable(payments);
