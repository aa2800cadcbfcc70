import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DomainError, everyMinutes, type ScheduleDefinition, type TransactionJob } from '@atelier/platform';
import { selectInvoice } from '../invoices/invoice-repository.js';
import { recipientsOf, REMINDABLE, writeReminder, type SendDeps } from '../invoice-send/invoice-send-service.js';
import { claimReminder, selectDueReminders } from './reminder-repository.js';

export const REMINDER_JOB = 'billing.invoice.reminder';
export const REMINDER_SCHEDULE = 'billing.invoice-reminders';

export interface ReminderOptions {
  /** How often the schedule looks for reminders that came due (their 09:00 passed). */
  everyMinutes: number;
  /** The agency's local time a reminder goes out at, `HH:MM`. */
  at: string;
}

const ReminderPayload = z.object({ invoiceId: z.uuid(), reminderDay: z.number().int().positive() });
type ReminderPayload = z.infer<typeof ReminderPayload>;

/** One job id per invoice and reminder day: a second enqueue (another replica, the next sweep) is a no-op. */
const reminderJobId = (invoiceId: string, day: number) => {
  const h = createHash('sha256').update(`billing-reminder:${invoiceId}:${day}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * Sends one scheduled reminder in the agency's transaction: the `invoice_reminders` row is the
 * claim (its primary key is invoice and day, so across replicas and retries one insert wins and
 * only that transaction mails). An invoice paid or voided in the meantime gets none.
 */
export function reminderJob(deps: SendDeps, logger: Logger): TransactionJob<ReminderPayload> {
  return {
    name: REMINDER_JOB,
    payload: ReminderPayload,
    maxAttempts: 8,
    async run(tx, job) {
      const agencyId = job.agencyId;
      if (!agencyId) return;
      const row = await selectInvoice(tx, job.payload.invoiceId, 'update');
      if (!row || !REMINDABLE.includes(row.status)) return;
      if (!(await claimReminder(tx, { agencyId, invoiceId: row.id, reminderDay: job.payload.reminderDay }))) return;
      let recipients;
      try {
        recipients = await recipientsOf(tx, row.clientId, {});
      } catch (err) {
        // Nobody to write to: the claim stays (it would not get better tomorrow), and it is logged.
        if (err instanceof DomainError) {
          logger.warn({ invoiceId: row.id, reminderDay: job.payload.reminderDay }, 'reminder: the client has no email; none sent');
          return;
        }
        throw err;
      }
      await writeReminder(tx, deps, null, row, recipients, null, job.payload.reminderDay);
    },
  };
}

/** Every few minutes: queues the reminders whose 09:00 (agency time) has come, each once (stable job id). */
export function reminderSchedule(deps: SendDeps, options: ReminderOptions): ScheduleDefinition {
  return {
    name: REMINDER_SCHEDULE,
    cadence: everyMinutes(options.everyMinutes),
    async run(tx, slot) {
      const due = await selectDueReminders(tx, slot, options.at);
      for (const r of due) {
        await tx.pinAgency(r.agencyId);
        await deps.jobs.enqueue(tx, { id: reminderJobId(r.invoiceId, r.reminderDay), name: REMINDER_JOB, agencyId: r.agencyId, payload: { invoiceId: r.invoiceId, reminderDay: r.reminderDay } });
      }
      if (due.length > 0) deps.jobs.wake();
    },
  };
}
