import { and, count, desc, eq, getTableColumns, gte, lte, sql, type SQL } from 'drizzle-orm';
import { anyOf, jsonParam, sendUnawaited, type Tx } from '@atelier/platform';
import { clients, memberNames, timelineEntries } from '../db/schema.js';

export type TimelineRow = typeof timelineEntries.$inferSelect & { clientName: string | null; clientDeletedAt: Date | null; actorName: string | null };
export type TimelineInsert = typeof timelineEntries.$inferInsert;

export interface TimelineFilter {
  clientId?: string;
  type?: string;
  entityKind?: string;
  from?: Date;
  to?: Date;
}

/** A page of entries, newest first (keyset on occurred_at, id), and the number matching the filter. */
export async function selectTimelinePage(tx: Tx, filter: TimelineFilter, after: { occurredAt: string; id: string } | null, maxRows: number) {
  const filters: (SQL | undefined)[] = [];
  if (filter.clientId) filters.push(eq(timelineEntries.clientId, filter.clientId));
  if (filter.type) filters.push(eq(timelineEntries.type, filter.type));
  if (filter.entityKind) filters.push(eq(timelineEntries.entityKind, filter.entityKind));
  if (filter.from) filters.push(gte(timelineEntries.occurredAt, filter.from));
  if (filter.to) filters.push(lte(timelineEntries.occurredAt, filter.to));
  const where = and(...filters);
  const pageWhere = after ? and(where, sql`(${timelineEntries.occurredAt}, ${timelineEntries.id}) < (${after.occurredAt}::timestamptz, ${after.id}::uuid)`) : where;
  // With the client as it is now (its current name, and whether it was deleted: its page is gone)
  // and the actor's name from the member replica.
  const rows: TimelineRow[] = await tx
    .select({ ...getTableColumns(timelineEntries), clientName: clients.name, clientDeletedAt: clients.deletedAt, actorName: memberNames.name })
    .from(timelineEntries)
    .leftJoin(clients, eq(clients.id, timelineEntries.clientId))
    .leftJoin(memberNames, and(eq(memberNames.agencyId, timelineEntries.agencyId), eq(memberNames.userId, timelineEntries.actorId)))
    .where(pageWhere)
    .orderBy(desc(timelineEntries.occurredAt), desc(timelineEntries.id))
    .limit(maxRows);
  const [t] = await tx.select({ n: count() }).from(timelineEntries).where(where);
  return { rows, total: t?.n ?? 0 };
}

/** One INSERT for a whole group of entries (a burst of events). */
export async function insertTimelineEntries(tx: Tx, rows: TimelineInsert[]): Promise<void> {
  // Nothing waits for its answer: it goes out with the COMMIT.
  if (rows.length) await sendUnawaited(tx, tx.insert(timelineEntries).values(rows));
}

/**
 * Entries that stand for bulk work (`itemCount` set, the work's id as the entity): one per client
 * and work, whatever number of events the work sends. An event adds its count to the client's
 * entry and the title is the sum followed by `pluralTail` ("12" + " contacts imported from …");
 * the inbox has already dropped redeliveries, so each event counts once.
 */
export async function upsertBulkEntries(tx: Tx, rows: (TimelineInsert & { itemCount: number; pluralTail: string })[]): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map((r) => ({
    agency_id: r.agencyId,
    client_id: r.clientId,
    event_id: r.eventId,
    type: r.type,
    title: r.title,
    occurred_at: r.occurredAt,
    actor_id: r.actorId,
    entity_kind: r.entityKind,
    entity_id: r.entityId,
    item_count: r.itemCount,
    plural_tail: r.pluralTail,
  }));
  // The tail depends on the work alone (its file name), so it is looked up per work: looked up per
  // entry, in the entries themselves, an import batch over a thousand clients compared a million pairs.
  await tx.execute(sql`
    with x as (
      select * from json_to_recordset(${jsonParam(records)}) as x(agency_id uuid, client_id uuid, event_id uuid, type text, title text,
        occurred_at timestamptz, actor_id uuid, entity_kind text, entity_id uuid, item_count integer, plural_tail text)),
    tails as materialized (select distinct on (entity_id) entity_id, plural_tail from x)
    insert into ${timelineEntries} as t (agency_id, client_id, event_id, type, title, occurred_at, actor_id, entity_kind, entity_id, item_count)
    select x.agency_id, x.client_id, x.event_id, x.type, x.title, x.occurred_at, x.actor_id, x.entity_kind, x.entity_id, x.item_count from x
    on conflict (client_id, entity_id) where item_count is not null do update set
      item_count = t.item_count + excluded.item_count,
      title = (t.item_count + excluded.item_count)::text || (select tails.plural_tail from tails where tails.entity_id = excluded.entity_id),
      occurred_at = greatest(t.occurred_at, excluded.occurred_at)`);
}

/** Names of clients by id, deleted ones too (an event may arrive after its client was deleted). */
export async function selectClientNames(tx: Tx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: clients.id, name: clients.name }).from(clients).where(anyOf(clients.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}
