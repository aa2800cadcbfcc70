import { Router } from 'express';
import { and, count, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { TimelineQuery, type TimelineEntry } from '@atelier/contracts';
import { decodeCursor, encodeCursor, principalOf, validate, withTenantSnapshot, type Db } from '@atelier/platform';
import { timelineEntries } from '../db/schema.js';

type Row = typeof timelineEntries.$inferSelect;

const toDto = (r: Row): TimelineEntry => ({
  id: r.id,
  clientId: r.clientId,
  type: r.type,
  title: r.title,
  occurredAt: r.occurredAt.toISOString(),
  actorId: r.actorId,
  entity: { kind: r.entityKind, id: r.entityId },
});

/** A bare date as `to` means the whole of that day. */
const endOf = (v: string) => (v.length === 10 ? new Date(Date.parse(`${v}T00:00:00Z`) + 86_400_000 - 1) : new Date(v));

export function timelineRoutes(db: Db): Router {
  const r = Router();
  r.get('/api/timeline', async (req, res) => {
    const who = principalOf(res);
    const q = validate(TimelineQuery, req.query, 'query');
    const position = decodeCursor(q.cursor, 'occurredAt:desc');
    const filters: (SQL | undefined)[] = [];
    if (q.clientId) filters.push(eq(timelineEntries.clientId, q.clientId));
    if (q.type) filters.push(eq(timelineEntries.type, q.type));
    if (q.entityKind) filters.push(eq(timelineEntries.entityKind, q.entityKind));
    if (q.from) filters.push(gte(timelineEntries.occurredAt, new Date(q.from)));
    if (q.to) filters.push(lte(timelineEntries.occurredAt, endOf(q.to)));
    const where = and(...filters);
    const pageWhere = position
      ? and(where, sql`(${timelineEntries.occurredAt}, ${timelineEntries.id}) < (${position.value}::timestamptz, ${position.id}::uuid)`)
      : where;
    // One snapshot for the page and its total: entries keep arriving from the bus, and a commit
    // between the two statements would otherwise give a total that the page contradicts.
    const { rows, total } = await withTenantSnapshot(db, who.agencyId, async (tx) => {
      const rows = await tx
        .select()
        .from(timelineEntries)
        .where(pageWhere)
        .orderBy(desc(timelineEntries.occurredAt), desc(timelineEntries.id))
        .limit(q.limit + 1);
      const [t] = await tx.select({ n: count() }).from(timelineEntries).where(where);
      return { rows, total: t?.n ?? 0 };
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({
      data: page.map(toDto),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ key: 'occurredAt:desc', value: last.occurredAt.toISOString(), id: last.id }) : null,
      total,
    });
  });
  return r;
}
