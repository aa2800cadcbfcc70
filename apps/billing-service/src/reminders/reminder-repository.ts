import { sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { invoiceReminders } from '../db/schema.js';

export interface DueReminder {
  agencyId: string;
  invoiceId: string;
  reminderDay: number;
}

/**
 * Every open invoice whose latest reminder day (settings' `reminderDays` after the due date) has
 * reached `at` in its agency's timezone by `now` and was not sent: the one lookup across agencies
 * (`billing.due_reminders`, see migration 0008), before the agency of each is pinned.
 */
export async function selectDueReminders(tx: Tx, now: Date, at: string): Promise<DueReminder[]> {
  const rows = await tx.execute<{ agency_id: string; invoice_id: string; reminder_day: number }>(
    sql`select agency_id, invoice_id, reminder_day from billing.due_reminders(${now.toISOString()}::timestamptz, ${at}::time)`,
  );
  return rows.map((r) => ({ agencyId: r.agency_id, invoiceId: r.invoice_id, reminderDay: Number(r.reminder_day) }));
}

/** The one replica (or the one run) whose insert wins sends the reminder; false: it was sent already. */
export async function claimReminder(tx: Tx, r: DueReminder): Promise<boolean> {
  const rows = await tx
    .insert(invoiceReminders)
    .values({ agencyId: r.agencyId, invoiceId: r.invoiceId, reminderDay: r.reminderDay })
    .onConflictDoNothing()
    .returning({ invoiceId: invoiceReminders.invoiceId });
  return rows.length === 1;
}
