import { and, asc, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { SummaryGroupBy, TimeSummaryQuery } from '@atelier/contracts';
import { anyOf, CURSOR_ROWS, type TenantTx, type Tx } from '@atelier/platform';
import { clients, members, projectsTable, tasks, timeEntries } from '../db/schema.js';
import { entryFilters, isLogged, timeEntrySortColumns, type EntryFilters } from '../time-entries/time-entry-repository.js';

export interface SummaryRow {
  key: string | null;
  currency: string;
  minutes: number;
  roundedMinutes: number;
  billableMinutes: number;
  amount: string;
}

const groupKey: Record<SummaryGroupBy, SQL> = {
  user: sql`${timeEntries.userId}::text`,
  task: sql`${timeEntries.taskId}::text`,
  project: sql`${timeEntries.projectId}::text`,
  day: sql`to_char(${timeEntries.date}, 'YYYY-MM-DD')`,
};

/** Sums per group and currency over the filtered entries (the index on agency, project/user and date does the filtering). */
export async function selectSummary(tx: Tx, q: Omit<TimeSummaryQuery, 'groupBy'>, groupBy: SummaryGroupBy): Promise<SummaryRow[]> {
  const key = groupKey[groupBy];
  const rows = await tx
    .select({
      key: sql<string | null>`${key}`,
      currency: timeEntries.currency,
      minutes: sql<string>`sum(${timeEntries.minutes})`,
      rounded: sql<string>`sum(${timeEntries.roundedMinutes})`,
      billable: sql<string>`coalesce(sum(${timeEntries.roundedMinutes}) filter (where ${timeEntries.isBillable}), 0)`,
      amount: sql<string>`sum(${timeEntries.amount})`,
    })
    .from(timeEntries)
    .where(entryFilters(q))
    .groupBy(key, timeEntries.currency);
  return rows.map((r) => ({ key: r.key, currency: r.currency, minutes: Number(r.minutes), roundedMinutes: Number(r.rounded), billableMinutes: Number(r.billable), amount: String(r.amount) }));
}

/** Display names of the groups' keys. */
export async function selectLabels(tx: Tx, groupBy: SummaryGroupBy, keys: string[]): Promise<Map<string, string>> {
  if (keys.length === 0 || groupBy === 'day') return new Map();
  const rows =
    groupBy === 'user'
      ? await tx.select({ key: members.userId, label: members.name }).from(members).where(anyOf(members.userId, keys))
      : groupBy === 'task'
        ? await tx.select({ key: tasks.id, label: tasks.title }).from(tasks).where(anyOf(tasks.id, keys))
        : await tx.select({ key: projectsTable.id, label: projectsTable.name }).from(projectsTable).where(anyOf(projectsTable.id, keys));
  return new Map(rows.map((r) => [r.key, r.label]));
}

export interface TimesheetCell {
  projectId: string;
  projectName: string;
  clientId: string;
  taskId: string | null;
  taskTitle: string | null;
  date: string;
  minutes: number;
}

/** One user's minutes per project, task and day of the week (the index on agency, user, date). */
export function selectTimesheetCells(tx: Tx, userId: string, week: { start: string; end: string }): Promise<TimesheetCell[]> {
  return tx
    .select({
      projectId: timeEntries.projectId,
      projectName: projectsTable.name,
      clientId: projectsTable.clientId,
      taskId: timeEntries.taskId,
      taskTitle: tasks.title,
      date: timeEntries.date,
      minutes: sql<number>`sum(${timeEntries.minutes})::int`,
    })
    .from(timeEntries)
    .innerJoin(projectsTable, eq(projectsTable.id, timeEntries.projectId))
    .leftJoin(tasks, eq(tasks.id, timeEntries.taskId))
    .where(and(eq(timeEntries.userId, userId), gte(timeEntries.date, week.start), lt(timeEntries.date, week.end), isNull(timeEntries.deletedAt), isLogged))
    .groupBy(timeEntries.projectId, projectsTable.name, projectsTable.clientId, timeEntries.taskId, tasks.title, timeEntries.date)
    .orderBy(asc(projectsTable.name), asc(timeEntries.projectId), sql`${tasks.title} asc nulls first`, asc(timeEntries.taskId), asc(timeEntries.date));
}

/** The export's columns, in order: what people call them (the header) and the SQL that reads them. */
export const exportColumns: [string, SQL][] = [
  ['Date', sql`to_char(${timeEntries.date}, 'YYYY-MM-DD')`],
  ['Member', sql`m.name`],
  ['Client', sql`c.name`],
  ['Project', sql`p.name`],
  ['Task', sql`t.title`],
  ['Description', sql`${timeEntries.description}`],
  ['Minutes', sql`${timeEntries.minutes}`],
  ['Rounded minutes', sql`${timeEntries.roundedMinutes}`],
  ['Hours', sql`to_char(${timeEntries.roundedMinutes} / 60.0, 'FM999999990.00')`],
  ['Billable', sql`${timeEntries.isBillable}`],
  ['Hourly rate', sql`${timeEntries.hourlyRate}`],
  ['Amount', sql`${timeEntries.amount}`],
  ['Currency', sql`${timeEntries.currency}`],
  ['Rate source', sql`${timeEntries.rateSource}`],
  ['Billing status', sql`${timeEntries.billingStatus}`],
  ['Invoice', sql`coalesce(${timeEntries.invoiceNumber}, ${timeEntries.invoiceId}::text)`],
  ['Started at', sql`to_json(${timeEntries.startedAt})#>>'{}'`],
  ['Ended at', sql`to_json(${timeEntries.endedAt})#>>'{}'`],
  ['Entry id', sql`${timeEntries.id}`],
];

/** The filtered entries as export rows (amounts and rates as stored; the service puts them at the currency's scale), a cursor step at a time. */
export function exportEntryRows(tx: TenantTx, q: EntryFilters & { sort?: keyof typeof timeEntrySortColumns; order?: 'asc' | 'desc' }) {
  const column = timeEntrySortColumns[q.sort ?? 'date'];
  const dir = sql.raw((q.order ?? (q.sort === 'minutes' ? 'asc' : 'desc')) === 'asc' ? 'asc' : 'desc');
  const select = sql.join(
    exportColumns.map(([, expr], i) => sql`${expr} as ${sql.identifier(`c${i}`)}`),
    sql`, `,
  );
  return tx.cursor<Record<string, unknown>>(
    sql`select ${select} from ${timeEntries}
      join ${projectsTable} p on p.id = ${timeEntries.projectId}
      left join ${clients} c on c.id = p.client_id
      left join ${tasks} t on t.id = ${timeEntries.taskId}
      left join ${members} m on m.user_id = ${timeEntries.userId}
      where ${entryFilters(q)}
      order by ${column} ${dir}, ${timeEntries.id} ${dir}`,
    CURSOR_ROWS,
  );
}
