import { and, asc, count, desc, eq, gte, isNull, sql, type SQL } from 'drizzle-orm';
import type { RateCardListQuery, RateCardSortField } from '@atelier/contracts';
import type { CursorPosition, Tx } from '@atelier/platform';
import { clients, members, projectsTable, rateCards, timeEntries } from '../db/schema.js';
import { isLogged, type TimeEntryRow } from '../time-entries/time-entry-repository.js';
import type { RateCardRow } from './rates-repository.js';

export type NewRateCardRow = typeof rateCards.$inferInsert;

const sortColumns = {
  effectiveFrom: rateCards.effectiveFrom,
  createdAt: rateCards.createdAt,
  amount: rateCards.amount,
  scope: rateCards.scope,
} as const satisfies Record<RateCardSortField, unknown>;

const casts: Record<RateCardSortField, string> = { effectiveFrom: 'date', createdAt: 'timestamptz', amount: 'numeric', scope: 'text' };

export async function selectRateCardPage(
  tx: Tx,
  q: Pick<RateCardListQuery, 'scope' | 'clientId' | 'projectId' | 'userId'>,
  page: { sort: RateCardSortField; order: 'asc' | 'desc'; position: CursorPosition | null; maxRows: number },
): Promise<{ rows: RateCardRow[]; total: number }> {
  const where = and(
    q.scope ? eq(rateCards.scope, q.scope) : undefined,
    q.clientId ? eq(rateCards.clientId, q.clientId) : undefined,
    q.projectId ? eq(rateCards.projectId, q.projectId) : undefined,
    q.userId ? eq(rateCards.userId, q.userId) : undefined,
  );
  const column = sortColumns[page.sort];
  const dir = page.order === 'asc' ? asc : desc;
  const cmp = page.order === 'asc' ? sql`>` : sql`<`;
  const pageWhere = page.position ? and(where, sql`(${column}, ${rateCards.id}) ${cmp} (${page.position.value}::${sql.raw(casts[page.sort])}, ${page.position.id}::uuid)`) : where;
  const [rows, [counted]] = await Promise.all([
    tx.select().from(rateCards).where(pageWhere).orderBy(dir(column), dir(rateCards.id)).limit(page.maxRows),
    tx.select({ n: count() }).from(rateCards).where(where),
  ]);
  return { rows, total: counted?.n ?? 0 };
}

export async function selectRateCard(tx: Tx, id: string, lock = false): Promise<RateCardRow | undefined> {
  const q = tx.select().from(rateCards).where(eq(rateCards.id, id));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function insertRateCard(tx: Tx, row: NewRateCardRow): Promise<RateCardRow> {
  const [saved] = await tx.insert(rateCards).values(row).returning();
  if (!saved) throw new Error('rate card insert returned nothing');
  return saved;
}

export async function updateRateCard(tx: Tx, id: string, set: Partial<Pick<RateCardRow, 'amount' | 'currency' | 'effectiveFrom'>>): Promise<RateCardRow> {
  const [saved] = await tx
    .update(rateCards)
    .set({ ...set, updatedAt: sql`now()` })
    .where(eq(rateCards.id, id))
    .returning();
  if (!saved) throw new Error('rate card update returned nothing');
  return saved;
}

export async function deleteRateCard(tx: Tx, id: string): Promise<boolean> {
  return (await tx.delete(rateCards).where(eq(rateCards.id, id)).returning({ id: rateCards.id })).length > 0;
}

/** The currency a card for this target defaults to, or undefined when the target does not exist (live). */
export async function selectTargetCurrency(tx: Tx, target: { kind: 'project' | 'client'; id: string }): Promise<string | null | undefined> {
  if (target.kind === 'project') {
    const [row] = await tx.select({ currency: projectsTable.currency }).from(projectsTable).where(and(eq(projectsTable.id, target.id), isNull(projectsTable.deletedAt)));
    return row?.currency;
  }
  const [row] = await tx.select({ currency: clients.currency }).from(clients).where(and(eq(clients.id, target.id), isNull(clients.deletedAt)));
  return row ? row.currency : undefined;
}

export async function memberExists(tx: Tx, userId: string): Promise<boolean> {
  const [row] = await tx.select({ removed: members.removed }).from(members).where(eq(members.userId, userId));
  return row !== undefined && !row.removed;
}

/** Where a card's scope reaches: the entries it could price (whatever cards are more specific). */
function cardReach(card: RateCardRow): SQL | undefined {
  switch (card.scope) {
    case 'project_member':
      return and(eq(timeEntries.projectId, card.projectId ?? ''), eq(timeEntries.userId, card.userId ?? ''));
    case 'project':
      return eq(timeEntries.projectId, card.projectId ?? '');
    case 'client':
      return sql`${timeEntries.projectId} in (select ${projectsTable.id} from ${projectsTable} where ${projectsTable.clientId} = ${card.clientId})`;
    case 'member':
      return eq(timeEntries.userId, card.userId ?? '');
    case 'agency':
      return undefined;
  }
}

const reachable = (card: RateCardRow, from: string) =>
  and(cardReach(card), gte(timeEntries.date, from), eq(timeEntries.billingStatus, 'unbilled'), isNull(timeEntries.deletedAt), isLogged);

/** The projects of the unbilled entries a card could price from `from` on (to lock them first). */
export async function selectReachedProjects(tx: Tx, card: RateCardRow, from: string): Promise<string[]> {
  const rows = await tx.selectDistinct({ projectId: timeEntries.projectId }).from(timeEntries).where(reachable(card, from));
  return rows.map((r) => r.projectId);
}

/** Those entries, locked FOR UPDATE in id order (after their projects: the order every time write takes). */
export function lockReachedEntries(tx: Tx, card: RateCardRow, from: string): Promise<TimeEntryRow[]> {
  return tx.select().from(timeEntries).where(reachable(card, from)).orderBy(asc(timeEntries.id)).for('update');
}
