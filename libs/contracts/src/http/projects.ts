import { z } from 'zod';
import {
  CurrencyCode,
  Hours,
  IsoDate,
  KnownCurrencyCode,
  Money,
  NonNegativeMoney,
  Percent,
  Timestamp,
  Uuid,
  amountsInCurrency,
  listQuery,
  listResponse,
  optionalText,
} from '../common.js';

export const ProjectStatus = z.enum(['active', 'on_hold', 'completed', 'cancelled']);
export type ProjectStatus = z.infer<typeof ProjectStatus>;

/**
 * `hourlyRate` is the project-scope rate in force today (null when the project has none of its
 * own); `budgetAmount` and `hourlyRate` are in `currency`.
 */
export const Project = z
  .object({
    id: Uuid,
    clientId: Uuid,
    name: z.string(),
    description: z.string().nullable(),
    status: ProjectStatus,
    startDate: IsoDate.nullable(),
    dueDate: IsoDate.nullable(),
    budgetHours: Hours.nullable(),
    budgetAmount: Money.nullable(),
    hourlyRate: Money.nullable(),
    currency: CurrencyCode,
    isBillable: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Project' });
export type Project = z.infer<typeof Project>;

const OptionalDate = IsoDate.nullable().optional();
const projectFields = {
  clientId: Uuid,
  name: z.string().trim().min(1, 'is required').max(200),
  description: optionalText(10_000),
  status: ProjectStatus.optional(),
  startDate: OptionalDate,
  dueDate: OptionalDate,
  budgetHours: Hours.nullable().optional(),
  budgetAmount: NonNegativeMoney.nullable().optional(),
  hourlyRate: NonNegativeMoney.nullable().optional(),
  /** Defaults to the client's currency. */
  currency: KnownCurrencyCode.optional(),
  isBillable: z.boolean().optional(),
};

const datesInOrder = (value: { startDate?: string | null; dueDate?: string | null }, ctx: z.RefinementCtx) => {
  if (value.startDate && value.dueDate && value.dueDate < value.startDate) {
    ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'must be on or after startDate' });
  }
};

/** Amounts are checked against `currency` here when the body names it; otherwise the service checks them against the project's. */
export const CreateProjectBody = z
  .object(projectFields)
  .strict()
  .superRefine(datesInOrder)
  .superRefine(amountsInCurrency(['budgetAmount', 'hourlyRate']))
  .meta({ id: 'CreateProjectBody' });
export type CreateProjectBody = z.infer<typeof CreateProjectBody>;

export const UpdateProjectBody = z
  .object({ ...projectFields, clientId: Uuid.optional(), name: projectFields.name.optional() })
  .strict()
  .superRefine(datesInOrder)
  .superRefine(amountsInCurrency(['budgetAmount', 'hourlyRate']))
  .meta({ id: 'UpdateProjectBody' });
export type UpdateProjectBody = z.infer<typeof UpdateProjectBody>;

export const ProjectSortField = ['name', 'createdAt', 'updatedAt', 'startDate', 'dueDate', 'status'] as const;
export type ProjectSortField = (typeof ProjectSortField)[number];
export const ProjectListQuery = listQuery(ProjectSortField).extend({ clientId: Uuid.optional(), status: ProjectStatus.optional() });
export type ProjectListQuery = z.infer<typeof ProjectListQuery>;
export const ProjectList = listResponse(Project);

export const BudgetKind = z.enum(['hours', 'money']);
export type BudgetKind = z.infer<typeof BudgetKind>;
/** The thresholds of a budget that fire `projects.budget.threshold_crossed.v1`, in percent. */
export const BUDGET_THRESHOLDS = [50, 80, 100] as const;
export const BudgetThreshold = z.union([z.literal(50), z.literal(80), z.literal(100)]);
export type BudgetThreshold = z.infer<typeof BudgetThreshold>;
export const ThresholdCrossed = z.object({ kind: BudgetKind, threshold: BudgetThreshold, crossedAt: Timestamp }).meta({ id: 'ThresholdCrossed' });
export type ThresholdCrossed = z.infer<typeof ThresholdCrossed>;

export const TasksByStatus = z.object({ todo: z.number().int(), in_progress: z.number().int(), blocked: z.number().int(), done: z.number().int() });

/**
 * Hours count rounded minutes (what is billed and budgeted). `budgetUsedPercent` is the larger of
 * the hours and money budgets' use (null without a budget), each also given on its own;
 * `forecastRunOutDate` extrapolates the trailing 14 days' burn (null without a budget or burn).
 */
export const ProjectStats = z
  .object({
    loggedHours: Hours,
    billableHours: Hours,
    unbilledHours: Hours,
    budgetHours: Hours.nullable(),
    budgetAmount: Money.nullable(),
    budgetUsedPercent: Percent.nullable(),
    budgetHoursUsedPercent: Percent.nullable(),
    budgetAmountUsedPercent: Percent.nullable(),
    amountUsed: Money,
    currency: CurrencyCode,
    tasksByStatus: TasksByStatus,
    forecastRunOutDate: IsoDate.nullable(),
    thresholdsCrossed: z.array(ThresholdCrossed),
  })
  .meta({ id: 'ProjectStats' });
export type ProjectStats = z.infer<typeof ProjectStats>;
