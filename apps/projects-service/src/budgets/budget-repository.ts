import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Tx } from '@atelier/platform';
import { budgetThresholdsCrossed, members, projectsTable, tasks, timeEntries } from '../db/schema.js';
import { isLogged } from '../time-entries/time-entry-repository.js';
import type { Crossing } from './thresholds.js';

export interface ProjectUsage {
  usedMinutes: number;
  /** Amounts in the project's currency (entries priced in another currency do not count against its money budget). */
  amountUsed: string;
}

/** What a project's live logged entries use of its budget: rounded minutes, and amounts in `currency`. */
export async function selectProjectUsage(tx: Tx, projectId: string, currency: string): Promise<ProjectUsage> {
  const [row] = await tx
    .select({
      minutes: sql<string>`coalesce(sum(${timeEntries.roundedMinutes}), 0)`,
      amount: sql<string>`coalesce(sum(${timeEntries.amount}) filter (where ${timeEntries.currency} = ${currency}), 0)`,
    })
    .from(timeEntries)
    .where(and(eq(timeEntries.projectId, projectId), isNull(timeEntries.deletedAt), isLogged));
  return { usedMinutes: Number(row?.minutes ?? 0), amountUsed: String(row?.amount ?? '0') };
}

export async function selectCrossings(tx: Tx, projectId: string): Promise<(Crossing & { crossedAt: Date })[]> {
  const rows = await tx.select().from(budgetThresholdsCrossed).where(eq(budgetThresholdsCrossed.projectId, projectId)).orderBy(budgetThresholdsCrossed.crossedAt, budgetThresholdsCrossed.kind, budgetThresholdsCrossed.threshold);
  return rows.map((r) => ({ kind: r.kind, threshold: r.threshold as Crossing['threshold'], crossedAt: r.crossedAt }));
}

/** Records crossings; returns those that were new (the primary key makes a second recording of one a no-op). */
export async function insertCrossings(tx: Tx, agencyId: string, projectId: string, crossings: Crossing[]): Promise<(Crossing & { crossedAt: Date })[]> {
  if (crossings.length === 0) return [];
  const rows = await tx
    .insert(budgetThresholdsCrossed)
    .values(crossings.map((c) => ({ agencyId, projectId, kind: c.kind, threshold: c.threshold })))
    .onConflictDoNothing()
    .returning();
  return rows.map((r) => ({ kind: r.kind, threshold: r.threshold as Crossing['threshold'], crossedAt: r.crossedAt }));
}

/** Who hears of a budget: the agency's owners, admins and managers with an email. */
export function selectBudgetRecipients(tx: Tx): Promise<{ name: string; email: string | null }[]> {
  return tx
    .select({ name: members.name, email: members.email })
    .from(members)
    .where(and(eq(members.removed, false), inArray(members.role, ['owner', 'admin', 'manager'])))
    .orderBy(members.name);
}

export interface ProjectTotals extends ProjectUsage {
  billableMinutes: number;
  unbilledMinutes: number;
  recentMinutes: number;
  recentAmount: string;
}

/** Every sum the stats show, in one pass over the project's live logged entries. */
export async function selectProjectTotals(tx: Tx, projectId: string, currency: string, window: { from: string; to: string }): Promise<ProjectTotals> {
  const inWindow = sql`${timeEntries.date} between ${window.from}::date and ${window.to}::date`;
  const [row] = await tx
    .select({
      minutes: sql<string>`coalesce(sum(${timeEntries.roundedMinutes}), 0)`,
      billable: sql<string>`coalesce(sum(${timeEntries.roundedMinutes}) filter (where ${timeEntries.isBillable}), 0)`,
      unbilled: sql<string>`coalesce(sum(${timeEntries.roundedMinutes}) filter (where ${timeEntries.isBillable} and ${timeEntries.billingStatus} = 'unbilled'), 0)`,
      amount: sql<string>`coalesce(sum(${timeEntries.amount}) filter (where ${timeEntries.currency} = ${currency}), 0)`,
      recentMinutes: sql<string>`coalesce(sum(${timeEntries.roundedMinutes}) filter (where ${inWindow}), 0)`,
      recentAmount: sql<string>`coalesce(sum(${timeEntries.amount}) filter (where ${inWindow} and ${timeEntries.currency} = ${currency}), 0)`,
    })
    .from(timeEntries)
    .where(and(eq(timeEntries.projectId, projectId), isNull(timeEntries.deletedAt), isLogged));
  return {
    usedMinutes: Number(row?.minutes ?? 0),
    billableMinutes: Number(row?.billable ?? 0),
    unbilledMinutes: Number(row?.unbilled ?? 0),
    amountUsed: String(row?.amount ?? '0'),
    recentMinutes: Number(row?.recentMinutes ?? 0),
    recentAmount: String(row?.recentAmount ?? '0'),
  };
}

export async function selectTaskCounts(tx: Tx, projectId: string): Promise<Record<'todo' | 'in_progress' | 'blocked' | 'done', number>> {
  const rows = await tx
    .select({ status: tasks.status, n: sql<number>`count(*)::int` })
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), isNull(tasks.deletedAt)))
    .groupBy(tasks.status);
  const counts = { todo: 0, in_progress: 0, blocked: 0, done: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

export async function selectLiveProject(tx: Tx, projectId: string) {
  const [row] = await tx
    .select({ id: projectsTable.id, clientId: projectsTable.clientId, name: projectsTable.name, status: projectsTable.status, currency: projectsTable.currency, isBillable: projectsTable.isBillable, budgetHours: projectsTable.budgetHours, budgetAmount: projectsTable.budgetAmount })
    .from(projectsTable)
    .where(and(eq(projectsTable.id, projectId), isNull(projectsTable.deletedAt)));
  return row;
}
