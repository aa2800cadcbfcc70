import { and, asc, count, desc, eq, ilike, isNull, sql, type SQL } from 'drizzle-orm';
import type { ProjectListQuery, ProjectSortField } from '@atelier/contracts';
import type { CursorPosition, Tx } from '@atelier/platform';
import { projectsTable, timeEntries } from '../db/schema.js';
import type { ProjectColumns, ProjectRow } from './project-mapper.js';

/** Sort keys; nullable dates sort last ascending (as the latest possible day). */
export const projectSortColumns: Record<ProjectSortField, SQL | typeof projectsTable.name> = {
  name: projectsTable.name,
  status: sql`${projectsTable.status}`,
  createdAt: sql`${projectsTable.createdAt}`,
  updatedAt: sql`${projectsTable.updatedAt}`,
  startDate: sql`coalesce(${projectsTable.startDate}, '9999-12-31'::date)`,
  dueDate: sql`coalesce(${projectsTable.dueDate}, '9999-12-31'::date)`,
};

const cursorCast: Record<ProjectSortField, string> = { name: 'text', status: 'text', createdAt: 'timestamptz', updatedAt: 'timestamptz', startDate: 'date', dueDate: 'date' };

export interface ProjectPageRequest {
  sort: ProjectSortField;
  order: 'asc' | 'desc';
  position: CursorPosition | null;
  /** Page size plus one, to know whether there is a next page. */
  maxRows: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One page of live projects with the list's filters, and the number of matches. */
export async function selectProjectPage(tx: Tx, q: Pick<ProjectListQuery, 'clientId' | 'status' | 'search'>, page: ProjectPageRequest): Promise<{ rows: ProjectRow[]; total: number }> {
  const column = projectSortColumns[page.sort];
  const dir = page.order === 'asc' ? asc : desc;
  const where = and(
    isNull(projectsTable.deletedAt),
    q.clientId ? eq(projectsTable.clientId, q.clientId) : undefined,
    q.status ? eq(projectsTable.status, q.status) : undefined,
    q.search ? ilike(projectsTable.name, `%${escapeLike(q.search)}%`) : undefined,
  );
  let pageWhere = where;
  if (page.position) {
    const cmp = page.order === 'asc' ? sql`>` : sql`<`;
    const value = sql`${page.position.value}::${sql.raw(cursorCast[page.sort])}`;
    pageWhere = and(where, sql`(${column}, ${projectsTable.id}) ${cmp} (${value}, ${page.position.id}::uuid)`);
  }
  const [rows, [counted]] = await Promise.all([
    tx.select().from(projectsTable).where(pageWhere).orderBy(dir(column), dir(projectsTable.id)).limit(page.maxRows),
    tx.select({ n: count() }).from(projectsTable).where(where),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

/**
 * A live project; `lock` takes the row: `update` for a change of the project itself, `board` (FOR
 * NO KEY UPDATE) to serialise the writes that place tasks on its board (create, move, reorder)
 * without blocking time logged on it (foreign key checks take KEY SHARE).
 */
export async function selectProject(tx: Tx, id: string, lock?: 'update' | 'board'): Promise<ProjectRow | undefined> {
  const q = tx
    .select()
    .from(projectsTable)
    .where(and(eq(projectsTable.id, id), isNull(projectsTable.deletedAt)));
  const [row] = lock === 'update' ? await q.for('update') : lock === 'board' ? await q.for('no key update') : await q;
  return row;
}

export async function insertProject(tx: Tx, values: ProjectColumns & { agencyId: string; clientId: string; name: string; currency: string; createdBy: string }): Promise<ProjectRow> {
  const [row] = await tx.insert(projectsTable).values(values).returning();
  return row!;
}

/** Writes the columns and the next version. */
export async function updateProject(tx: Tx, id: string, cols: ProjectColumns): Promise<ProjectRow> {
  const [row] = await tx
    .update(projectsTable)
    .set({ ...cols, version: sql`${projectsTable.version} + 1`, updatedAt: sql`now()` })
    .where(eq(projectsTable.id, id))
    .returning();
  return row!;
}

export async function softDeleteProject(tx: Tx, id: string): Promise<ProjectRow | undefined> {
  const [row] = await tx
    .update(projectsTable)
    .set({ deletedAt: sql`now()`, version: sql`${projectsTable.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(projectsTable.id, id), isNull(projectsTable.deletedAt)))
    .returning();
  return row;
}

/**
 * The invoice holding some of the project's time (reserved or billed), if any. Locks the
 * project's live entries, so a delete and a billing change to them run one after the other.
 */
export async function invoicedTimeOf(tx: Tx, projectId: string): Promise<{ invoiceId: string | null; invoiceNumber: string | null } | undefined> {
  const rows = await tx
    .select({ billingStatus: timeEntries.billingStatus, invoiceId: timeEntries.invoiceId, invoiceNumber: timeEntries.invoiceNumber })
    .from(timeEntries)
    .where(and(eq(timeEntries.projectId, projectId), isNull(timeEntries.deletedAt)))
    .for('update');
  return rows.find((r) => r.billingStatus !== 'unbilled');
}

export async function hasTimeEntries(tx: Tx, projectId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: timeEntries.id })
    .from(timeEntries)
    .where(and(eq(timeEntries.projectId, projectId), isNull(timeEntries.deletedAt)))
    .limit(1);
  return row !== undefined;
}
