import { and, asc, count, desc, eq, gte, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { TimeEntryListQuery, TimeEntrySortField } from '@atelier/contracts';
import { anyOf, type CursorPosition, type Tx } from '@atelier/platform';
import { members, projectsTable, rateCards, tasks, timeEntries } from '../db/schema.js';

export type TimeEntryRow = typeof timeEntries.$inferSelect;
export type NewTimeEntryRow = typeof timeEntries.$inferInsert;
export type RateCardRow = typeof rateCards.$inferSelect;

/** A logged entry, not a running timer (those are the timers API's). */
export const isLogged = or(isNull(timeEntries.startedAt), isNotNull(timeEntries.endedAt)) as SQL;

export const timeEntrySortColumns = {
  date: timeEntries.date,
  createdAt: timeEntries.createdAt,
  updatedAt: timeEntries.updatedAt,
  minutes: timeEntries.minutes,
} as const satisfies Record<TimeEntrySortField, unknown>;

export type EntryFilters = Omit<TimeEntryListQuery, 'limit' | 'cursor' | 'sort' | 'order'>;

/** The list's and the export's filters, as one condition over live logged entries. */
export function entryFilters(q: EntryFilters): SQL {
  const conditions: (SQL | undefined)[] = [
    isNull(timeEntries.deletedAt),
    isLogged,
    q.projectId ? eq(timeEntries.projectId, q.projectId) : undefined,
    q.taskId ? eq(timeEntries.taskId, q.taskId) : undefined,
    q.userId ? eq(timeEntries.userId, q.userId) : undefined,
    q.clientId ? sql`${timeEntries.projectId} in (select ${projectsTable.id} from ${projectsTable} where ${projectsTable.clientId} = ${q.clientId})` : undefined,
    q.from ? gte(timeEntries.date, q.from) : undefined,
    q.to ? lte(timeEntries.date, q.to) : undefined,
    q.billingStatus ? eq(timeEntries.billingStatus, q.billingStatus) : undefined,
    q.isBillable === undefined ? undefined : eq(timeEntries.isBillable, q.isBillable),
    q.search ? sql`${timeEntries.description} ilike ${`%${q.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : undefined,
  ];
  return and(...conditions) as SQL;
}

export interface EntryPageRequest {
  sort: TimeEntrySortField;
  order: 'asc' | 'desc';
  position: CursorPosition | null;
  maxRows: number;
}

const cursorCast: Record<TimeEntrySortField, string> = { date: 'date', createdAt: 'timestamptz', updatedAt: 'timestamptz', minutes: 'integer' };

/** One page of entries with the filters, and the number of matches (pipelined, one snapshot). */
export async function selectEntryPage(tx: Tx, q: EntryFilters, page: EntryPageRequest): Promise<{ rows: TimeEntryRow[]; total: number }> {
  const where = entryFilters(q);
  const column = timeEntrySortColumns[page.sort];
  const dir = page.order === 'asc' ? asc : desc;
  let pageWhere = where;
  if (page.position) {
    const cmp = page.order === 'asc' ? sql`>` : sql`<`;
    pageWhere = and(where, sql`(${column}, ${timeEntries.id}) ${cmp} (${page.position.value}::${sql.raw(cursorCast[page.sort])}, ${page.position.id}::uuid)`) as SQL;
  }
  const [rows, [counted]] = await Promise.all([
    tx.select().from(timeEntries).where(pageWhere).orderBy(dir(column), dir(timeEntries.id)).limit(page.maxRows),
    tx.select({ n: count() }).from(timeEntries).where(where),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

/** A live logged entry; `lock` takes it FOR UPDATE (edits, deletes and billing events serialise on it). */
export async function selectEntry(tx: Tx, id: string, lock = false): Promise<TimeEntryRow | undefined> {
  const q = tx
    .select()
    .from(timeEntries)
    .where(and(eq(timeEntries.id, id), isNull(timeEntries.deletedAt), isLogged));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function insertEntry(tx: Tx, row: NewTimeEntryRow): Promise<TimeEntryRow> {
  const [saved] = await tx.insert(timeEntries).values(row).returning();
  if (!saved) throw new Error('time entry insert returned nothing');
  return saved;
}

/** Writes the entry's new state (the service has bumped its version). */
export async function updateEntry(tx: Tx, row: TimeEntryRow): Promise<TimeEntryRow> {
  const { id, agencyId: _agency, createdAt: _created, ...rest } = row;
  const [saved] = await tx.update(timeEntries).set(rest).where(eq(timeEntries.id, id)).returning();
  if (!saved) throw new Error('time entry update returned nothing');
  return saved;
}

export type ProjectRef = Pick<typeof projectsTable.$inferSelect, 'id' | 'clientId' | 'name' | 'status' | 'currency' | 'isBillable' | 'budgetHours' | 'budgetAmount'>;

const projectRef = {
  id: projectsTable.id,
  clientId: projectsTable.clientId,
  name: projectsTable.name,
  status: projectsTable.status,
  currency: projectsTable.currency,
  isBillable: projectsTable.isBillable,
  budgetHours: projectsTable.budgetHours,
  budgetAmount: projectsTable.budgetAmount,
};

/**
 * Live projects by id, locked FOR NO KEY UPDATE in id order: every write of a project's time
 * holds its project's lock to commit, so budget sums read after it see every other entry of the
 * project that committed (thresholds fire once, never zero times), and two writers on two
 * projects lock in the same order. NO KEY UPDATE does not wait for the entries' foreign keys.
 */
export async function lockProjects(tx: Tx, ids: string[]): Promise<ProjectRef[]> {
  const unique = [...new Set(ids)].sort();
  if (unique.length === 0) return [];
  return tx
    .select(projectRef)
    .from(projectsTable)
    .where(and(anyOf(projectsTable.id, unique), isNull(projectsTable.deletedAt)))
    .orderBy(asc(projectsTable.id))
    .for('no key update');
}

/** The client of a project, deleted or not (a deleted project's entries still name it). */
export async function selectProjectClientId(tx: Tx, projectId: string): Promise<string> {
  const [row] = await tx.select({ clientId: projectsTable.clientId }).from(projectsTable).where(eq(projectsTable.id, projectId));
  if (!row) throw new Error(`project ${projectId} of a time entry does not exist`);
  return row.clientId;
}

export async function selectTaskProject(tx: Tx, taskId: string): Promise<string | undefined> {
  const [row] = await tx
    .select({ projectId: tasks.projectId })
    .from(tasks)
    .where(and(eq(tasks.id, taskId), isNull(tasks.deletedAt)));
  return row?.projectId;
}

export async function selectMember(tx: Tx, userId: string): Promise<{ userId: string; name: string; removed: boolean } | undefined> {
  const [row] = await tx.select({ userId: members.userId, name: members.name, removed: members.removed }).from(members).where(eq(members.userId, userId));
  return row;
}

/** The cards that could price an entry of this user on this project (any date): the resolver picks one. */
export function selectCandidateCards(tx: Tx, t: { projectId: string; clientId: string; userId: string }): Promise<RateCardRow[]> {
  return tx
    .select()
    .from(rateCards)
    .where(
      or(
        eq(rateCards.scope, 'agency'),
        and(eq(rateCards.scope, 'member'), eq(rateCards.userId, t.userId)),
        and(eq(rateCards.scope, 'client'), eq(rateCards.clientId, t.clientId)),
        and(eq(rateCards.scope, 'project'), eq(rateCards.projectId, t.projectId)),
        and(eq(rateCards.scope, 'project_member'), eq(rateCards.projectId, t.projectId), eq(rateCards.userId, t.userId)),
      ),
    );
}
