import { and, asc, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { ClientListQuery } from '@atelier/contracts';
import { decodeCursor, encodeCursor, likePattern, type Tx } from '@atelier/platform';
import { clients } from '../db/schema.js';
import { clientSearch } from '../search/search-functions.js';
import type { ClientRow } from './client-mapper.js';

const sortColumns = {
  name: clients.name,
  createdAt: clients.createdAt,
  updatedAt: clients.updatedAt,
  email: sql<string>`coalesce(${clients.email}, '')`,
} as const;

const cursorValue = (row: ClientRow, sort: keyof typeof sortColumns): string => {
  switch (sort) {
    case 'createdAt':
      return row.createdAt.toISOString();
    case 'updatedAt':
      return row.updatedAt.toISOString();
    case 'email':
      return row.email ?? '';
    default:
      return row.name;
  }
};

export async function listClients(tx: Tx, q: ClientListQuery) {
  const sort = q.sort ?? 'name';
  const order = q.order ?? (sort === 'name' || sort === 'email' ? 'asc' : 'desc');
  const column = sortColumns[sort];
  const cursorKey = `${sort}:${order}`;
  const position = decodeCursor(q.cursor, cursorKey);

  const filters: (SQL | undefined)[] = [isNull(clients.deletedAt)];
  if (q.isActive !== undefined) filters.push(eq(clients.isActive, q.isActive));
  if (q.search) {
    const pattern = likePattern(q.search);
    filters.push(clientSearch(pattern));
  }
  const where = and(...filters);

  let pageWhere = where;
  if (position) {
    const value = sort === 'createdAt' || sort === 'updatedAt' ? sql`${position.value}::timestamptz` : sql`${position.value}`;
    const cmp = order === 'asc' ? sql`>` : sql`<`;
    pageWhere = and(where, sql`(${column}, ${clients.id}) ${cmp} (${value}, ${position.id}::uuid)`);
  }
  const dir = order === 'asc' ? asc : desc;
  const rows = await tx
    .select()
    .from(clients)
    .where(pageWhere)
    .orderBy(dir(column), dir(clients.id))
    .limit(q.limit + 1);
  const [totalRow] = await tx.select({ n: count() }).from(clients).where(where);

  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: cursorKey, value: cursorValue(last, sort), id: last.id }) : null;
  return { rows: page, nextCursor, total: totalRow?.n ?? 0 };
}

export async function findClient(tx: Tx, id: string): Promise<ClientRow | undefined> {
  const [row] = await tx
    .select()
    .from(clients)
    .where(and(eq(clients.id, id), isNull(clients.deletedAt)));
  return row;
}
