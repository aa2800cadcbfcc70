import { z } from 'zod';
import { CurrencyCode, Hours, IsoDate, Money, Timestamp, Uuid, listQuery, listResponse, optionalText, queryBoolean } from '../common.js';

export const BillingStatus = z.enum(['unbilled', 'reserved', 'billed']);
export type BillingStatus = z.infer<typeof BillingStatus>;
export const RateScope = z.enum(['agency', 'member', 'client', 'project', 'project_member']);
export type RateScope = z.infer<typeof RateScope>;

/** The longest one entry may be: a day. */
export const MAX_ENTRY_MINUTES = 24 * 60;

/**
 * `minutes` as logged, `roundedMinutes` after the agency's rounding rule (what is billed and
 * budgeted), `hours` = roundedMinutes / 60. `hourlyRate`, `rateSource` and `currency` are the
 * rate resolved when the entry was logged, frozen on it (null rate: no rate card applied);
 * `amount` = hours × rate, zero for non-billable time. `invoiceId` names the invoice that
 * reserved or billed it.
 */
export const TimeEntry = z
  .object({
    id: Uuid,
    projectId: Uuid,
    taskId: Uuid.nullable(),
    userId: Uuid,
    date: IsoDate,
    minutes: z.number().int(),
    roundedMinutes: z.number().int(),
    hours: Hours,
    description: z.string().nullable(),
    isBillable: z.boolean(),
    hourlyRate: Money.nullable(),
    rateSource: RateScope.nullable(),
    amount: Money,
    currency: CurrencyCode,
    startedAt: Timestamp.nullable(),
    endedAt: Timestamp.nullable(),
    billingStatus: BillingStatus,
    invoiceId: Uuid.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'TimeEntry' });
export type TimeEntry = z.infer<typeof TimeEntry>;

const Minutes = z.number().int().min(1, 'must be more than 0').max(MAX_ENTRY_MINUTES, 'must be at most 24 hours');

/** A duration (`minutes`, on `date`) or an interval (`startedAt` and `endedAt`, whose work day is derived), never both. */
const durationOrInterval =
  (creating: boolean) =>
  (value: { minutes?: number | undefined; date?: string | undefined; startedAt?: string | undefined; endedAt?: string | undefined }, ctx: z.RefinementCtx) => {
    const interval = value.startedAt !== undefined || value.endedAt !== undefined;
    if (interval && value.minutes !== undefined) ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'give either minutes or startedAt and endedAt, not both' });
    if (interval && value.date !== undefined) ctx.addIssue({ code: 'custom', path: ['date'], message: 'is the work day of startedAt; leave it out with startedAt and endedAt' });
    if (value.startedAt !== undefined && value.endedAt === undefined) ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'is required with startedAt' });
    if (value.endedAt !== undefined && value.startedAt === undefined) ctx.addIssue({ code: 'custom', path: ['startedAt'], message: 'is required with endedAt' });
    if (creating && !interval && value.minutes === undefined) ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'is required (or startedAt and endedAt)' });
    if (value.startedAt !== undefined && value.endedAt !== undefined) {
      const ms = Date.parse(value.endedAt) - Date.parse(value.startedAt);
      if (!(ms > 0)) ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'must be after startedAt' });
      else if (ms > MAX_ENTRY_MINUTES * 60_000) ctx.addIssue({ code: 'custom', path: ['endedAt'], message: 'must be at most 24 hours after startedAt' });
    }
  };

const entryFields = {
  projectId: Uuid,
  taskId: Uuid.nullable().optional(),
  /** The work day (defaults to today in the agency's timezone); only with `minutes`. */
  date: IsoDate.optional(),
  minutes: Minutes.optional(),
  startedAt: Timestamp.optional(),
  endedAt: Timestamp.optional(),
  description: optionalText(5_000),
  /** Defaults to the project's billability and the agency's `defaultBillable`. */
  isBillable: z.boolean().optional(),
};

/** `userId` (manager and above) logs time for another member; everyone else logs their own. */
export const CreateTimeEntryBody = z
  .object({ ...entryFields, userId: Uuid.optional() })
  .strict()
  .superRefine(durationOrInterval(true))
  .meta({ id: 'CreateTimeEntryBody' });
export type CreateTimeEntryBody = z.infer<typeof CreateTimeEntryBody>;

export const UpdateTimeEntryBody = z
  .object({ ...entryFields, projectId: Uuid.optional() })
  .strict()
  .superRefine(durationOrInterval(false))
  .meta({ id: 'UpdateTimeEntryBody' });
export type UpdateTimeEntryBody = z.infer<typeof UpdateTimeEntryBody>;

export const TimeEntrySortField = ['date', 'createdAt', 'updatedAt', 'minutes'] as const;
export type TimeEntrySortField = (typeof TimeEntrySortField)[number];
const fromTo = (value: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) => {
  if (value.from && value.to && value.to < value.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be on or after from' });
};
/** `from`/`to` are inclusive work days. Without `sort`: newest day first. */
const timeEntryFilters = listQuery(TimeEntrySortField).extend({
    projectId: Uuid.optional(),
    taskId: Uuid.optional(),
    userId: Uuid.optional(),
    clientId: Uuid.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    billingStatus: BillingStatus.optional(),
    isBillable: queryBoolean.optional(),
});
export const TimeEntryListQuery = timeEntryFilters.superRefine(fromTo);
export type TimeEntryListQuery = z.infer<typeof TimeEntryListQuery>;
export const TimeEntryList = listResponse(TimeEntry);

/** The filters of the list, for `GET /api/time-entries.csv`. */
export const TimeEntryExportQuery = timeEntryFilters.omit({ limit: true, cursor: true }).superRefine(fromTo);
export type TimeEntryExportQuery = z.infer<typeof TimeEntryExportQuery>;

// Timers ----------------------------------------------------------------------------------------

export const StartTimerBody = z
  .object({ projectId: Uuid, taskId: Uuid.nullable().optional(), description: optionalText(5_000), isBillable: z.boolean().optional() })
  .strict()
  .meta({ id: 'StartTimerBody' });
export type StartTimerBody = z.infer<typeof StartTimerBody>;

/**
 * A running timer. Its elapsed time counts from the server's `startedAt`: a client shows
 * `elapsedSeconds` plus what its own clock ran since `serverNow`, so every tab agrees.
 */
export const Timer = z
  .object({
    id: Uuid,
    projectId: Uuid,
    taskId: Uuid.nullable(),
    userId: Uuid,
    description: z.string().nullable(),
    isBillable: z.boolean(),
    startedAt: Timestamp,
    elapsedSeconds: z.number().int(),
    serverNow: Timestamp,
  })
  .meta({ id: 'Timer' });
export type Timer = z.infer<typeof Timer>;

/** `stopped`: the entry of the timer that was running when this one started, stopped by it. */
export const StartedTimer = z.object({ timer: Timer, stopped: TimeEntry.nullable() }).meta({ id: 'StartedTimer' });
export type StartedTimer = z.infer<typeof StartedTimer>;
export const CurrentTimer = z.object({ timer: Timer.nullable() }).meta({ id: 'CurrentTimer' });
export type CurrentTimer = z.infer<typeof CurrentTimer>;
/** Stopping answers with the time entry the timer became. */
export const StoppedTimer = TimeEntry;

// Summaries -------------------------------------------------------------------------------------

export const SummaryGroupBy = z.enum(['user', 'task', 'day', 'project']);
export type SummaryGroupBy = z.infer<typeof SummaryGroupBy>;
export const TimeSummaryQuery = z
  .object({
    projectId: Uuid.optional(),
    userId: Uuid.optional(),
    clientId: Uuid.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    groupBy: SummaryGroupBy.default('user'),
  })
  .superRefine(fromTo);
export type TimeSummaryQuery = z.infer<typeof TimeSummaryQuery>;

export const AmountInCurrency = z.object({ amount: Money, currency: CurrencyCode });
/**
 * One group's totals: `minutes` as logged, `roundedMinutes` and `billableMinutes` (rounded,
 * billable only) with their hours. `amounts` has one sum per currency; `amount`/`currency` are
 * that sum when the group is in one currency (null when it mixes currencies or has none).
 */
export const SummaryTotals = z.object({
  minutes: z.number().int(),
  roundedMinutes: z.number().int(),
  billableMinutes: z.number().int(),
  hours: Hours,
  billableHours: Hours,
  amount: Money.nullable(),
  currency: CurrencyCode.nullable(),
  amounts: z.array(AmountInCurrency),
});
export type SummaryTotals = z.infer<typeof SummaryTotals>;
/** `key`: the user id, task id (null: time on no task), project id or work day of the group; `label` its name. */
export const SummaryGroup = SummaryTotals.extend({ key: z.string().nullable(), label: z.string().nullable() });
export type SummaryGroup = z.infer<typeof SummaryGroup>;
export const TimeSummary = z
  .object({ groupBy: SummaryGroupBy, from: IsoDate.nullable(), to: IsoDate.nullable(), groups: z.array(SummaryGroup), totals: SummaryTotals })
  .meta({ id: 'TimeSummary' });
export type TimeSummary = z.infer<typeof TimeSummary>;

// Timesheet -------------------------------------------------------------------------------------

/** A week of one user (the caller by default; another member's for a manager and above). */
export const TimesheetQuery = z.object({ weekOf: IsoDate.optional(), userId: Uuid.optional() });
export type TimesheetQuery = z.infer<typeof TimesheetQuery>;
/** Minutes per work day, keyed by `YYYY-MM-DD`, every day of `days` present (0 when empty). */
const MinutesByDay = z.record(z.string(), z.number().int());
export const TimesheetRow = z.object({
  projectId: Uuid,
  projectName: z.string(),
  clientId: Uuid,
  taskId: Uuid.nullable(),
  taskTitle: z.string().nullable(),
  minutesByDay: MinutesByDay,
  totalMinutes: z.number().int(),
});
export type TimesheetRow = z.infer<typeof TimesheetRow>;
/** The week starts on the agency's `weekStartsOn`; minutes are as logged. */
export const Timesheet = z
  .object({
    userId: Uuid,
    weekStart: IsoDate,
    days: z.array(IsoDate).length(7),
    rows: z.array(TimesheetRow),
    totalsByDay: MinutesByDay,
    totalMinutes: z.number().int(),
  })
  .meta({ id: 'Timesheet' });
export type Timesheet = z.infer<typeof Timesheet>;
