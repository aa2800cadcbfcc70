import type { EntitySnapshot, EventEnvelope, SnapshotExtractors } from '@atelier/contracts';
import { getTableColumns, sql } from 'drizzle-orm';
import { getTableConfig, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import type { ConsumerSpec } from '../bus/consumer.js';
import type { Tx } from '../db/database.js';
import { sendUnawaited } from '../db/tenant-tx.js';

/** A replica table: the entity id as primary key, the agency, and the version of the state held. */
export type ReplicaTable = PgTable & { id: PgColumn; agencyId: PgColumn; version: PgColumn };

export interface ReplicaSpec<Live, Gone = Live> {
  /** Durable queue, `<service>.<purpose>`: also the inbox's consumer name. */
  queue: string;
  /** Topic patterns of the events to receive, e.g. `crm.client.*.*`. */
  bindings: string[];
  table: ReplicaTable;
  /**
   * Per event name, its snapshots (one, or many for a bulk event; e.g. `crmClientSnapshots`).
   * Names not listed (a new verb or version the replica does not know yet) are acknowledged and
   * ignored. Extractors parse with the contract's schema, so a malformed payload throws and takes
   * the retry and dead-letter path.
   */
  events: SnapshotExtractors<Live, Gone>;
  /** The columns (drizzle keys) a live snapshot writes, besides id, agency and version. */
  live: (data: Live) => Record<string, unknown>;
  /**
   * The columns a tombstone writes over an existing row (the rest of the row stays), and, as
   * `firstSeen`, what else a row needs when the delete is the first the replica hears of the
   * entity (NOT NULL columns).
   */
  tombstone: (data: Gone) => { set: Record<string, unknown>; firstSeen?: Record<string, unknown> };
}

/**
 * A consumer that keeps the newest snapshot of each entity: a row changes only when the incoming
 * version is higher than the one it holds, and a delete is a versioned tombstone, so duplicates,
 * redeliveries, resyncs and any arrival order converge on the newest state. Events that arrive
 * together are applied with one statement per kind (live, tombstone) for all their snapshots.
 */
export function replicaConsumer<Live, Gone = Live>(spec: ReplicaSpec<Live, Gone>): ConsumerSpec {
  const snapshotsOf = (events: EventEnvelope[]) => events.flatMap((event) => spec.events[event.name]?.(event) ?? []);
  const apply = async (events: EventEnvelope[], tx: Tx) => {
    const agencyId = events[0]?.agencyId;
    if (agencyId === undefined) return;
    await applySnapshots(tx, spec, agencyId, snapshotsOf(events));
  };
  return {
    queue: spec.queue,
    bindings: spec.bindings,
    handle: (event, tx) => apply([event], tx),
    // The kit hands over events of one agency at a time.
    handleMany: apply,
  };
}

/** The newest snapshot per id: one statement may touch a row only once. */
export function newestPerId<S extends { id: string; version: number }>(snapshots: S[]): S[] {
  const newest = new Map<string, S>();
  for (const s of snapshots) {
    const held = newest.get(s.id);
    if (!held || s.version > held.version) newest.set(s.id, s);
  }
  return [...newest.values()];
}

async function applySnapshots<Live, Gone>(tx: Tx, spec: ReplicaSpec<Live, Gone>, agencyId: string, snapshots: EntitySnapshot<Live, Gone>[]): Promise<void> {
  const newest = newestPerId(snapshots);
  const live = newest.flatMap((s) => (s.deleted ? [] : [{ id: s.id, agencyId, version: s.version, ...spec.live(s.data) }]));
  const gone = newest.flatMap((s) => {
    if (!s.deleted) return [];
    const { set, firstSeen } = spec.tombstone(s.data);
    return [{ row: { ...firstSeen, ...set, id: s.id, agencyId, version: s.version }, set }];
  });
  if (live.length > 0) await upsertNewer(tx, spec.table, live, Object.keys(live[0]!));
  if (gone.length > 0) await upsertNewer(tx, spec.table, gone.map((g) => g.row), ['version', ...Object.keys(gone[0]!.set)]);
}

/**
 * INSERT … ON CONFLICT (id) DO UPDATE SET <columns> = excluded.<columns> WHERE held version <
 * incoming version. A row of another agency with the same id is invisible under RLS and
 * untouchable; the insert then fails, as it should for an id that is not this agency's.
 * The rows travel as one JSON parameter read by `jsonb_populate_recordset` over the table's own
 * row type: a bulk event's thousands of snapshots as a multi-row VALUES would be a parameter per
 * cell, each one built, sent and planned.
 */
async function upsertNewer(tx: Tx, table: ReplicaTable, rows: Record<string, unknown>[], columns: string[]): Promise<void> {
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const columnOf = (key: string) => {
    const column = all[key];
    if (!column) throw new Error(`replica table has no column ${key}`);
    return column;
  };
  const updated = columns.filter((key) => key !== 'id' && key !== 'agencyId').map(columnOf);
  const newer = sql`${table.version} < excluded.${sql.identifier(table.version.name)}`;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (!rows.every((r) => keys.every((k) => k in r && isPlainValue(r[k])))) {
    // A row without one of the keys takes the column's default in a VALUES insert, NULL from a
    // recordset; a value JSON would not carry as the driver does (an object, a bigint) keeps it
    // out of JSON too.
    const set = Object.fromEntries(updated.map((c) => [c.name, sql`excluded.${sql.identifier(c.name)}`]));
    await sendUnawaited(tx, tx.insert(table).values(rows as never).onConflictDoUpdate({ target: table.id, set, setWhere: newer }));
    return;
  }
  const names = keys.map((k) => columnOf(k).name);
  const records = rows.map((r) => Object.fromEntries(keys.map((k, i) => [names[i], r[k]])));
  const { name, schema } = getTableConfig(table);
  const target = schema ? sql`${sql.identifier(schema)}.${sql.identifier(name)}` : sql.identifier(name);
  const list = sql.join(
    names.map((n) => sql.identifier(n)),
    sql`, `,
  );
  const set = sql.join(
    updated.map((c) => sql`${sql.identifier(c.name)} = excluded.${sql.identifier(c.name)}`),
    sql`, `,
  );
  // Nothing waits for its answer: it goes out with the COMMIT (`sendUnawaited`).
  await sendUnawaited(
    tx,
    tx.execute(sql`
      insert into ${target} as t (${list})
      select ${list} from jsonb_populate_recordset(null::${target}, ${JSON.stringify(records)}::jsonb)
      on conflict (${sql.identifier(table.id.name)}) do update set ${set}
      where t.${sql.identifier(table.version.name)} < excluded.${sql.identifier(table.version.name)}`),
  );
}

/** What JSON carries to a column as the driver would: text, numbers, booleans, NULL and times (as ISO strings). */
const isPlainValue = (v: unknown) => v === null || v instanceof Date || ['string', 'number', 'boolean'].includes(typeof v);
