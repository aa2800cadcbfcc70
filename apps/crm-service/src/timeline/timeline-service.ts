import { ContactsImportedPayload, type EventEnvelope, type TimelineQuery } from '@atelier/contracts';
import { decodeCursor, encodeCursor, tenantTx, type Db, type Principal, type Tx } from '@atelier/platform';
import { insertTimelineEntries, selectClientNames, selectTimelinePage, upsertBulkEntries, type TimelineInsert } from './timeline-repository.js';
import { importedContactsTitle, timelineHeadline, timelineSubject, type TitleNames } from './timeline-titles.js';

const CURSOR_KEY = 'occurredAt:desc';

/** A bare date as `to` means the whole of that day. */
const endOf = (v: string) => (v.length === 10 ? new Date(Date.parse(`${v}T00:00:00Z`) + 86_400_000 - 1) : new Date(v));

/**
 * The timeline, newest first. One snapshot for the page and its total: entries keep arriving from
 * the bus, and a commit between the two statements would otherwise give a total the page contradicts.
 */
export function listTimeline(db: Db, who: Principal, q: TimelineQuery) {
  const position = decodeCursor(q.cursor, CURSOR_KEY, 'timestamp');
  const filter = {
    clientId: q.clientId,
    type: q.type,
    entityKind: q.entityKind,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? endOf(q.to) : undefined,
  };
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const { rows, total } = await selectTimelinePage(tx, filter, position ? { occurredAt: position.value, id: position.id } : null, q.limit + 1);
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: CURSOR_KEY, value: last.occurredAt.toISOString(), id: last.id }) : null;
      return { rows: page, nextCursor, total };
    },
    { mode: 'snapshot' },
  );
}

function entry(event: EventEnvelope, subject: NonNullable<ReturnType<typeof timelineSubject>>, names: TitleNames): TimelineInsert {
  return {
    agencyId: event.agencyId,
    clientId: subject.clientId,
    eventId: event.id,
    type: event.name,
    ...timelineHeadline(event, names),
    occurredAt: new Date(event.occurredAt),
    actorId: event.actorId,
    entityKind: subject.kind,
    entityId: subject.id,
  };
}

/** What the timeline reads of an import's batch: not its thousands of snapshots, which the replicas parse. */
const ImportedCounts = ContactsImportedPayload.pick({ importId: true, fileName: true, clients: true });

/** A contacts import's batch: one entry per client it touched, which later batches of the same import add to. */
function importedEntries(event: EventEnvelope) {
  const p = ImportedCounts.parse(event.payload);
  return p.clients.flatMap((c) => {
    const itemCount = c.created + c.updated;
    if (itemCount === 0) return [];
    return [
      {
        agencyId: event.agencyId,
        clientId: c.clientId,
        eventId: event.id,
        type: event.name,
        title: importedContactsTitle(itemCount, p.fileName),
        occurredAt: new Date(event.occurredAt),
        actorId: event.actorId,
        entityKind: 'import',
        entityId: p.importId,
        itemCount,
        pluralTail: importedContactsTitle(2, p.fileName).slice(1),
      },
    ];
  });
}

/**
 * Every event that names a client becomes an entry on that client's timeline (one INSERT for a
 * group); bulk work becomes one entry per client and work. Titles name the client as crm knows it
 * when the entry is recorded; who acted is added when entries are read (a member crm has not
 * heard of yet: no "by …" until it has).
 */
export async function recordEvents(events: EventEnvelope[], tx: Tx): Promise<void> {
  const bulk = events.filter((e) => e.name === 'crm.contact.imported.v1');
  const single = bulk.length ? events.filter((e) => e.name !== 'crm.contact.imported.v1') : events;
  const subjects = single.flatMap((event) => {
    const subject = timelineSubject(event);
    return subject ? [{ event, subject }] : [];
  });
  const clientNames = await selectClientNames(tx, [...new Set(subjects.map((s) => s.subject.clientId))]);
  await insertTimelineEntries(
    tx,
    subjects.map(({ event, subject }) => entry(event, subject, { client: clientNames.get(subject.clientId) ?? null })),
  );
  await upsertBulkEntries(tx, mergePerClient(bulk.flatMap(importedEntries)));
}

/** One row per client and work: one statement may not upsert a row twice, and a group can hold several batches of one import. */
function mergePerClient<E extends { clientId: string; entityId: string; itemCount: number; occurredAt: Date; title: string; pluralTail: string }>(entries: E[]): E[] {
  const merged = new Map<string, E>();
  for (const e of entries) {
    const key = `${e.clientId}:${e.entityId}`;
    const held = merged.get(key);
    if (!held) merged.set(key, { ...e });
    else {
      held.itemCount += e.itemCount;
      held.title = `${held.itemCount}${held.pluralTail}`;
      if (e.occurredAt > held.occurredAt) held.occurredAt = e.occurredAt;
    }
  }
  return [...merged.values()];
}
