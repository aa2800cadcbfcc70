import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { ContactListQuery } from '@atelier/contracts';
import { badRequest, decodeCursor, encodeCursor, type Tx, type CursorPosition } from '@atelier/platform';
import { contacts } from '../db/schema.js';
import { contactSearchPage } from '../search/search-functions.js';
import type { ContactRow } from './contact-mapper.js';

/** "First Last", the order search results are shown in. */
export const contactFullName = sql<string>`(coalesce(${contacts.firstName}, '') || ' ' || coalesce(${contacts.lastName}, ''))`;

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

/** The sort columns as crm.search_contact_page names them. */
const searchSortColumns: Record<keyof typeof sortColumns, string> = { lastName: 'last_name', firstName: 'first_name', email: 'email', createdAt: 'created_at' };

/** Same conventions as the client list: sort + id keyset cursor, `total` with the same filters. */
export async function listContacts(tx: Tx, q: ContactListQuery) {
  const sort = q.sort ?? 'lastName';
  const order = q.order ?? (sort === 'createdAt' ? 'desc' : 'asc');
  const column = sortColumns[sort];
  const cursorKey = `contacts:${sort}:${order}`;
  const position = checkCursor(decodeCursor(q.cursor, cursorKey), sort);
  const dir = order === 'asc' ? asc : desc;

  let rows: ContactRow[];
  let total: number;
  if (q.search) {
    const page = { sortColumn: searchSortColumns[sort], descending: order === 'desc', position, maxRows: q.limit + 1 };
    ({ rows, total } = await contactSearchPage(tx, q.search, q.clientId, q.isPrimary, page, [dir(column), dir(contacts.id)]));
  } else {
    const where = and(
      isNull(contacts.deletedAt),
      q.clientId ? eq(contacts.clientId, q.clientId) : undefined,
      q.isPrimary === undefined ? undefined : eq(contacts.isPrimary, q.isPrimary),
    );
    let pageWhere = where;
    if (position) {
      const value = sort === 'createdAt' ? sql`${position.value}::timestamptz` : sql`${position.value}`;
      const cmp = order === 'asc' ? sql`>` : sql`<`;
      pageWhere = and(where, sql`(${column}, ${contacts.id}) ${cmp} (${value}, ${position.id}::uuid)`);
    }
    rows = await tx
      .select()
      .from(contacts)
      .where(pageWhere)
      .orderBy(dir(column), dir(contacts.id))
      .limit(q.limit + 1);
    total = (await tx.select({ n: count() }).from(contacts).where(where))[0]?.n ?? 0;
  }

  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: cursorKey, value: cursorValue(last, sort), id: last.id }) : null;
  return { rows: page, nextCursor, total };
}

export async function findContact(tx: Tx, id: string, options: { lock?: boolean } = {}): Promise<ContactRow | undefined> {
  const query = tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.id, id), isNull(contacts.deletedAt)));
  const [row] = options.lock ? await query.for('update') : await query;
  return row;
}
