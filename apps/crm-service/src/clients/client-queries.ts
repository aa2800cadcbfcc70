import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { ClientListQuery } from '@atelier/contracts';
import { decodeCursor, encodeCursor, type Tx } from '@atelier/platform';
import { clients } from '../db/schema.js';
import { clientSearchPage } from '../search/search-functions.js';
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

/** The sort columns as crm.search_client_page names them. */
const searchSortColumns: Record<keyof typeof sortColumns, string> = { name: 'name', createdAt: 'created_at', updatedAt: 'updated_at', email: 'email' };

export async function listClients(tx: Tx, q: ClientListQuery) {
  const sort = q.sort ?? 'name';
  const order = q.order ?? (sort === 'name' || sort === 'email' ? 'asc' : 'desc');
  const column = sortColumns[sort];
  const cursorKey = `${sort}:${order}`;
  const position = decodeCursor(q.cursor, cursorKey);
  const dir = order === 'asc' ? asc : desc;

  let rows: ClientRow[];
  let total: number;
  if (q.search) {
    const page = { sortColumn: searchSortColumns[sort], descending: order === 'desc', position, maxRows: q.limit + 1 };
    ({ rows, total } = await clientSearchPage(tx, q.search, q.isActive, page, [dir(column), dir(clients.id)]));
  } else {
    const where = and(isNull(clients.deletedAt), q.isActive === undefined ? undefined : eq(clients.isActive, q.isActive));
    let pageWhere = where;
    if (position) {
      const value = sort === 'createdAt' || sort === 'updatedAt' ? sql`${position.value}::timestamptz` : sql`${position.value}`;
      const cmp = order === 'asc' ? sql`>` : sql`<`;
      pageWhere = and(where, sql`(${column}, ${clients.id}) ${cmp} (${value}, ${position.id}::uuid)`);
    }
    rows = await tx
      .select()
      .from(clients)
      .where(pageWhere)
      .orderBy(dir(column), dir(clients.id))
      .limit(q.limit + 1);
    total = (await tx.select({ n: count() }).from(clients).where(where))[0]?.n ?? 0;
  }

  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: cursorKey, value: cursorValue(last, sort), id: last.id }) : null;
  return { rows: page, nextCursor, total };
}

export async function findClient(tx: Tx, id: string): Promise<ClientRow | undefined> {
  const [row] = await tx
    .select()
    .from(clients)
    .where(and(eq(clients.id, id), isNull(clients.deletedAt)));
  return row;
}
