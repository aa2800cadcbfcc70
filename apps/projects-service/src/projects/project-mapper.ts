import { Money } from '@atelier/money';
import type { CreateProjectBody, Project, UpdateProjectBody } from '@atelier/contracts';
import type { projectsTable } from '../db/schema.js';

export type ProjectRow = typeof projectsTable.$inferSelect;

/** A NUMERIC read back at the currency's scale ("1250.0000" EUR → "1250.00"). */
export const moneyOut = (value: string, currency: string): string => Money.round(value, currency).amount;

/** `hourlyRate`: the project-scope rate in force today, looked up beside the row. */
export const toProjectDto = (row: ProjectRow, hourlyRate: string | null): Project => ({
  id: row.id,
  clientId: row.clientId,
  name: row.name,
  description: row.description,
  status: row.status,
  startDate: row.startDate,
  dueDate: row.dueDate,
  budgetHours: row.budgetHours,
  budgetAmount: row.budgetAmount === null ? null : moneyOut(row.budgetAmount, row.currency),
  hourlyRate: hourlyRate === null ? null : moneyOut(hourlyRate, row.currency),
  currency: row.currency,
  isBillable: row.isBillable,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export type ProjectColumns = Partial<Pick<ProjectRow, 'clientId' | 'name' | 'description' | 'status' | 'startDate' | 'dueDate' | 'budgetHours' | 'budgetAmount' | 'currency' | 'isBillable'>>;

/** Only the fields present in the body: an absent field is left as it is, `null` clears it. */
export function toProjectColumns(body: CreateProjectBody | UpdateProjectBody): ProjectColumns {
  const cols: ProjectColumns = {};
  if (body.clientId !== undefined) cols.clientId = body.clientId;
  if (body.name !== undefined) cols.name = body.name;
  if (body.description !== undefined) cols.description = body.description;
  if (body.status !== undefined) cols.status = body.status;
  if (body.startDate !== undefined) cols.startDate = body.startDate;
  if (body.dueDate !== undefined) cols.dueDate = body.dueDate;
  if (body.budgetHours !== undefined) cols.budgetHours = body.budgetHours;
  if (body.budgetAmount !== undefined) cols.budgetAmount = body.budgetAmount;
  if (body.currency !== undefined) cols.currency = body.currency;
  if (body.isBillable !== undefined) cols.isBillable = body.isBillable;
  return cols;
}

/** The contract fields whose values differ between two states of a project, for `changes` on the update event. */
export function changedProjectFields(before: Project, after: Project): string[] {
  return (Object.keys(after) as (keyof Project)[]).filter((k) => k !== 'updatedAt' && k !== 'createdAt' && before[k] !== after[k]);
}
