import type postgres from 'postgres';
import { postgresClient } from './database.js';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { applyKitMigrations } from './kit-migrations.js';
import { schemaOwnerRole, serviceRole, type ServiceName, SERVICE_SCHEMAS } from './roles.js';

/**
 * Applies a service's drizzle-kit migrations as the schema's owner role, then what drizzle-kit
 * cannot express: FORCE row-level security on every RLS table and the kit's own versioned
 * migrations (`kit-migrations.ts`). Finally it refuses a schema whose SECURITY DEFINER functions
 * are not safe (see `definerProblems`).
 */
export async function migrateService(ownerUrl: string, service: ServiceName, migrationsFolder: string): Promise<void> {
  const schema = SERVICE_SCHEMAS[service];
  const owner = schemaOwnerRole(service);
  const client = postgresClient(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [who] = await client<{ user: string }[]>`select current_user as user`;
    if (who?.user !== owner) {
      throw new Error(`${service} migrations must run as ${owner}, the owner of schema ${schema} (DATABASE_OWNER_URL), not as ${who?.user}`);
    }
    await client`select pg_advisory_lock(hashtext(${`atelier.migrate.${schema}`}))`;
    await client.begin(async (tx) => {
      await applyDrizzleMigrations(tx, schema, migrationsFolder);
      const tables = await tx<{ name: string }[]>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind = 'r' and c.relrowsecurity and not c.relforcerowsecurity`;
      for (const t of tables) await tx.unsafe(`ALTER TABLE "${schema}"."${t.name}" FORCE ROW LEVEL SECURITY`);
      await applyKitMigrations(tx, schema, serviceRole(service));
      const problems = await definerProblems(tx, service);
      if (problems.length > 0) throw new Error(`unsafe SECURITY DEFINER functions in schema ${schema}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    });
  } finally {
    await client`select pg_advisory_unlock(hashtext(${`atelier.migrate.${schema}`}))`.catch(() => {});
    await client.end();
  }
}

/**
 * drizzle-kit's migrations, applied as drizzle-orm's migrator does (same bookkeeping table, so
 * either can continue the other's work), except for `CREATE SCHEMA IF NOT EXISTS` of the schema
 * itself (drizzle's own and the first migration's): that needs CREATE on the database, which a
 * schema owner does not have, and the bootstrap has made the schema already.
 */
async function applyDrizzleMigrations(tx: postgres.TransactionSql, schema: string, folder: string): Promise<void> {
  const table = `"${schema}".__drizzle_migrations`;
  const createsOwnSchema = (statement: string) => statement.trim() === `CREATE SCHEMA IF NOT EXISTS "${schema}";`;
  await tx.unsafe(`CREATE TABLE IF NOT EXISTS ${table} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
  const [last] = await tx.unsafe<{ created_at: string }[]>(`SELECT created_at FROM ${table} ORDER BY created_at DESC LIMIT 1`);
  for (const m of readMigrationFiles({ migrationsFolder: folder })) {
    if (last && Number(last.created_at) >= m.folderMillis) continue;
    for (const statement of m.sql) if (statement.trim() && !createsOwnSchema(statement)) await tx.unsafe(statement);
    await tx.unsafe(`INSERT INTO ${table} (hash, created_at) VALUES ($1, $2)`, [m.hash, m.folderMillis]);
  }
}

export interface DefinerFunction {
  signature: string;
  owner: string;
  searchPath: string[] | null;
  /** Roles that may execute it, `PUBLIC` for everyone. */
  executors: string[];
}

/** Every SECURITY DEFINER function of `schema`, with what makes it safe or not. */
export async function definerFunctions(sql: postgres.Sql | postgres.TransactionSql, schema: string): Promise<DefinerFunction[]> {
  const rows = await sql<{ signature: string; owner: string; config: string[] | null; executors: string[] }[]>`
    select p.oid::regprocedure::text as signature, p.proowner::regrole::text as owner, p.proconfig as config,
           array(select case when a.grantee = 0 then 'PUBLIC' else a.grantee::regrole::text end
                   from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                  where a.privilege_type = 'EXECUTE' order by 1) as executors
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = ${schema} and p.prosecdef
     order by 1`;
  return rows.map((r) => {
    const setting = r.config?.find((c) => c.startsWith('search_path='));
    const searchPath = setting ? setting.slice('search_path='.length).split(',').map((x) => x.trim().replace(/^"|"$/g, '')) : null;
    return { signature: r.signature, owner: r.owner, searchPath, executors: r.executors };
  });
}

/**
 * What is wrong with a schema's SECURITY DEFINER functions: each must be owned by the schema owner
 * (whose rights end at the schema), pin `search_path` with `pg_temp` last (else a caller's
 * temporary objects, searched first, run as the owner) and be executable by the service role only.
 */
export async function definerProblems(sql: postgres.Sql | postgres.TransactionSql, service: ServiceName): Promise<string[]> {
  const owner = schemaOwnerRole(service);
  const role = serviceRole(service);
  const problems: string[] = [];
  for (const f of await definerFunctions(sql, SERVICE_SCHEMAS[service])) {
    if (f.owner !== owner) problems.push(`${f.signature} is owned by ${f.owner}, not ${owner}`);
    if (f.searchPath?.at(-1) !== 'pg_temp') problems.push(`${f.signature} must SET search_path = pg_catalog, …, pg_temp (pg_temp last); it has ${f.searchPath ? f.searchPath.join(', ') : 'none'}`);
    const others = f.executors.filter((e) => e !== owner && e !== role);
    if (others.length > 0) problems.push(`${f.signature} is executable by ${others.join(', ')}: REVOKE ALL … FROM PUBLIC and GRANT EXECUTE to ${role} only`);
  }
  return problems;
}
