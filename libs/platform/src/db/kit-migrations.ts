import type postgres from 'postgres';

/**
 * Versioned migrations the kit adds to every service schema, beside the service's own drizzle-kit
 * migrations: the plumbing of tables the kit defines (`messaging-tables.ts`), which drizzle-kit
 * cannot express. Each runs once per schema, in order, once the tables it needs exist, and is
 * recorded in `<schema>.__kit_migrations`. Never edit one that has shipped: add the next.
 */
export interface KitMigration {
  id: string;
  /** Tables of the schema the migration needs; it waits (is not recorded) until they all exist. */
  requires: string[];
  sql(schema: string, serviceRole: string): string;
}

export const outboxChannel = (schema: string) => `${schema}_outbox`;

export const KIT_MIGRATIONS: readonly KitMigration[] = [
  {
    // The relay must see every agency's unpublished rows: these three run as the schema owner
    // (BYPASSRLS) and do one narrow thing each. The NOTIFY trigger wakes the relay on commit.
    id: '0001_outbox_functions',
    requires: ['outbox'],
    sql: (s, role) => `
CREATE OR REPLACE FUNCTION "${s}".outbox_claim(max_rows integer) RETURNS SETOF "${s}".outbox
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT * FROM "${s}".outbox WHERE published_at IS NULL ORDER BY seq LIMIT max_rows FOR UPDATE SKIP LOCKED
$$;
CREATE OR REPLACE FUNCTION "${s}".outbox_mark_published(ids uuid[]) RETURNS void
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  UPDATE "${s}".outbox SET published_at = now() WHERE id = ANY(ids)
$$;
CREATE OR REPLACE FUNCTION "${s}".outbox_prune(keep interval) RETURNS bigint
  LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH d AS (DELETE FROM "${s}".outbox WHERE published_at < now() - keep RETURNING 1) SELECT count(*) FROM d
$$;
CREATE OR REPLACE FUNCTION "${s}".outbox_notify() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
  BEGIN PERFORM pg_notify('${outboxChannel(s)}', ''); RETURN NULL; END
$$;
DROP TRIGGER IF EXISTS outbox_notify ON "${s}".outbox;
CREATE TRIGGER outbox_notify AFTER INSERT ON "${s}".outbox FOR EACH STATEMENT EXECUTE FUNCTION "${s}".outbox_notify();
REVOKE ALL ON FUNCTION "${s}".outbox_claim(integer), "${s}".outbox_mark_published(uuid[]), "${s}".outbox_prune(interval), "${s}".outbox_notify() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "${s}".outbox_claim(integer), "${s}".outbox_mark_published(uuid[]), "${s}".outbox_prune(interval) TO "${role}";
`,
  },
];

/** Applies the kit migrations `schema` has not had yet and whose tables exist. Runs in the caller's transaction. */
export async function applyKitMigrations(tx: postgres.TransactionSql, schema: string, serviceRole: string): Promise<string[]> {
  await tx.unsafe(`CREATE TABLE IF NOT EXISTS "${schema}".__kit_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Set((await tx.unsafe<{ id: string }[]>(`SELECT id FROM "${schema}".__kit_migrations`)).map((r) => r.id));
  const tables = new Set((await tx<{ name: string }[]>`select tablename as name from pg_tables where schemaname = ${schema}`).map((r) => r.name));
  const applied: string[] = [];
  for (const m of KIT_MIGRATIONS) {
    if (done.has(m.id)) continue;
    // Later migrations may build on earlier ones: stop at the first that must wait.
    if (!m.requires.every((t) => tables.has(t))) break;
    await tx.unsafe(m.sql(schema, serviceRole));
    await tx.unsafe(`INSERT INTO "${schema}".__kit_migrations (id) VALUES ($1)`, [m.id]);
    applied.push(m.id);
  }
  return applied;
}
