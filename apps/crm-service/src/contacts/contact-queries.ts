import { and, asc, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { ContactListQuery } from '@atelier/contracts';
import { badRequest, decodeCursor, encodeCursor, likePattern, type Tx, type CursorPosition } from '@atelier/platform';
import { contacts } from '../db/schema.js';
import { contactSearch } from '../search/search-functions.js';
import type { ContactRow } from './contact-mapper.js';

/** Exactly the expression of `contacts_name_trgm_idx`: any other spelling would not use the index. */
export const contactFullName = sql<string>`(coalesce(${contacts.firstName}, '') || ' ' || coalesce(${contacts.lastName}, ''))`;

/** Name or email contains `search`, through the trigram indexes. */
export const contactMatches = (search: string): SQL => contactSearch(likePattern(search), false);

const sortColumns = {
  lastName: sql<string>`coalesce(${contacts.lastName}, '')`,
  firstName: contacts.firstName,
  email: sql<string>`coalesce(${contacts.email}, '')`,
  createdAt: contacts.createdAt,
} as const;

const cursorValue = (row: ContactRow, sort: keyof typeof sortColumns): string => {
  switch (sort) {
    case 'createdAt':
      return row.createdAt.toISOString();
    case 'firstName':
      return row.firstName;
    case 'email':
      return row.email ?? '';
    default:
      return row.lastName ?? '';
  }
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Checked before it reaches SQL, so a tampered cursor is a 400, not a failed cast. */
function checkCursor(position: CursorPosition | null, sort: keyof typeof sortColumns): CursorPosition | null {
  if (position && (!UUID.test(position.id) || position.value === null || position.value.includes('\u0000') || (sort === 'createdAt' && !ISO.test(position.value)))) {
    throw badRequest('Invalid cursor', [{ path: 'query.cursor', message: 'is not a cursor from this list with this sort' }]);
  }
  return position;
}

/** Same conventions as the client list: sort + id keyset cursor, `total` with the same filters. */
export async function listContacts(tx: Tx, q: ContactListQuery) {
  const sort = q.sort ?? 'lastName';
  const order = q.order ?? (sort === 'createdAt' ? 'desc' : 'asc');
  const column = sortColumns[sort];
  const cursorKey = `contacts:${sort}:${order}`;
  const position = checkCursor(decodeCursor(q.cursor, cursorKey), sort);

  const filters: (SQL | undefined)[] = [isNull(contacts.deletedAt)];
  if (q.clientId) filters.push(eq(contacts.clientId, q.clientId));
  if (q.isPrimary !== undefined) filters.push(eq(contacts.isPrimary, q.isPrimary));
  if (q.search) filters.push(contactMatches(q.search));
  const where = and(...filters);

  let pageWhere = where;
  if (position) {
    const value = sort === 'createdAt' ? sql`${position.value}::timestamptz` : sql`${position.value}`;
    const cmp = order === 'asc' ? sql`>` : sql`<`;
    pageWhere = and(where, sql`(${column}, ${contacts.id}) ${cmp} (${value}, ${position.id}::uuid)`);
  }
  const dir = order === 'asc' ? asc : desc;
  const rows = await tx
    .select()
    .from(contacts)
    .where(pageWhere)
    .orderBy(dir(column), dir(contacts.id))
    .limit(q.limit + 1);
  const [totalRow] = await tx.select({ n: count() }).from(contacts).where(where);

  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: cursorKey, value: cursorValue(last, sort), id: last.id }) : null;
  return { rows: page, nextCursor, total: totalRow?.n ?? 0 };
}

export async function findContact(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<ContactRow | undefined> {
  const query = tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), isNull(contacts.deletedAt)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}
