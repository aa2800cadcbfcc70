import type { TimeEntry, TimeEntrySnapshot } from '@atelier/contracts';
import { hoursOf } from '@atelier/money';
import { atScale } from './entry-pricing.js';
import type { TimeEntryRow } from './time-entry-repository.js';

export const toTimeEntrySnapshot = (row: TimeEntryRow): TimeEntrySnapshot => ({
  id: row.id,
  projectId: row.projectId,
  taskId: row.taskId,
  userId: row.userId,
  date: row.date,
  minutes: row.minutes,
  roundedMinutes: row.roundedMinutes,
  description: row.description,
  isBillable: row.isBillable,
  hourlyRate: row.hourlyRate === null ? null : atScale(row.hourlyRate, row.currency),
  rateSource: row.rateSource,
  amount: atScale(row.amount, row.currency),
  currency: row.currency,
  startedAt: row.startedAt?.toISOString() ?? null,
  endedAt: row.endedAt?.toISOString() ?? null,
  billingStatus: row.billingStatus,
  invoiceId: row.invoiceId,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export const toTimeEntryDto = (row: TimeEntryRow): TimeEntry => ({ ...toTimeEntrySnapshot(row), hours: hoursOf(row.roundedMinutes) });
