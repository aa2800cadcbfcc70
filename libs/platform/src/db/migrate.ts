import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { serviceRole, type ServiceName, SERVICE_SCHEMAS } from './roles.js';

/**
 * Applies a service's drizzle-kit migrations as the owner role, then the parts drizzle-kit cannot
 * express: FORCE row-level security on every RLS table, and the outbox plumbing (security-definer
 * claim/mark functions for the relay, which must see every agency's rows, and the NOTIFY trigger).
 */
export async function migrateService(ownerUrl: string, service: ServiceName, migrationsFolder: string): Promise<void> {
  const schema = SERVICE_SCHEMAS[service];
  const client = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(hashtext(${`atelier.migrate.${schema}`}))`;
    await migrate(drizzle(client), { migrationsFolder, migrationsSchema: schema, migrationsTable: '__drizzle_migrations' });
    await client.begin(async (tx) => {
      const tables = await tx<{ name: string }[]>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind = 'r' and c.relrowsecurity and not c.relforcerowsecurity`;
      for (const t of tables) await tx.unsafe(`ALTER TABLE "${schema}"."${t.name}" FORCE ROW LEVEL SECURITY`);
      const [outbox] = await tx`select 1 from pg_tables where schemaname = ${schema} and tablename = 'outbox'`;
      if (outbox) await tx.unsafe(outboxPlumbing(schema, serviceRole(service)));
    });
  } finally {
    await client`select pg_advisory_unlock(hashtext(${`atelier.migrate.${schema}`}))`.catch(() => {});
    await client.end();
  }
}

export const outboxChannel = (schema: string) => `${schema}_outbox`;

const outboxPlumbing = (s: string, role: string) => `
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
REVOKE ALL ON FUNCTION "${s}".outbox_claim(integer), "${s}".outbox_mark_published(uuid[]), "${s}".outbox_prune(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "${s}".outbox_claim(integer), "${s}".outbox_mark_published(uuid[]), "${s}".outbox_prune(interval) TO "${role}";
`;
