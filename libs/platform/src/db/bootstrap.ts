import type postgres from 'postgres';
import { postgresClient } from './database.js';
import { databaseUrl, SERVICE_SCHEMAS, schemaOwnerRole, serviceRole, type ServiceName } from './roles.js';

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier: ${name}`);
  return `"${name}"`;
};

/**
 * Creates `role` with the development password (its own name) or brings its attributes up to date.
 * An existing role keeps its password, so a bootstrap re-run never resets a production password.
 */
async function ensureRole(admin: postgres.Sql, role: string, attributes: string) {
  // Roles are cluster-wide and parallel test runs bootstrap at once: serialise on an advisory lock.
  await admin.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('atelier.bootstrap.roles'))`;
    const [exists] = await tx`select 1 from pg_roles where rolname = ${role}`;
    if (exists) await tx.unsafe(`ALTER ROLE ${ident(role)} ${attributes}`);
    else await tx.unsafe(`CREATE ROLE ${ident(role)} ${attributes} PASSWORD '${role}'`);
  });
}

const services = Object.keys(SERVICE_SCHEMAS) as ServiceName[];

/**
 * Idempotent: the database (owned by the admin), and per service a schema owned by the service's
 * schema owner role, which runs its migrations, and a login role with DML on that schema only.
 * Runs as a superuser (`adminUrl`).
 *
 * The owner roles have BYPASSRLS because their schema's cross-tenant functions (the outbox relay's
 * claim, the import runner's claim, the gateway's lookups before the agency is known) must see
 * every agency's rows; each holds no right outside its own schema, so that reach ends there.
 */
export async function bootstrapDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = postgresClient(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (const service of services) {
      await ensureRole(admin, schemaOwnerRole(service), 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS NOINHERIT');
      await ensureRole(admin, serviceRole(service), 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT');
    }
    const [db] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!db) {
      try {
        await admin.unsafe(`CREATE DATABASE ${ident(database)}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by a parallel run
      }
    }
  } finally {
    await admin.end();
  }

  const target = postgresClient(databaseUrl(adminUrl, database), { max: 1, onnotice: () => {} });
  try {
    await target.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('atelier.bootstrap.schemas'))`;
      const db = ident(database);
      // A database made by an earlier bootstrap belonged to one owner role of every schema; it is the admin's now.
      await tx.unsafe(`ALTER DATABASE ${db} OWNER TO CURRENT_USER`);
      await tx.unsafe(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
      await tx.unsafe(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
      await tx.unsafe(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
      for (const service of services) {
        const schema = SERVICE_SCHEMAS[service];
        const s = ident(schema);
        const role = ident(serviceRole(service));
        const owner = ident(schemaOwnerRole(service));
        await tx.unsafe(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${role}`);
        await tx.unsafe(`GRANT CONNECT ON DATABASE ${db} TO ${owner}`);
        await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${s} AUTHORIZATION ${owner}`);
        await adoptSchema(tx, schema, schemaOwnerRole(service));
        await tx.unsafe(`REVOKE ALL ON SCHEMA ${s} FROM PUBLIC`);
        await tx.unsafe(`GRANT USAGE ON SCHEMA ${s} TO ${role}`);
        // Functions are executable by PUBLIC unless revoked for the creating role as a whole (a
        // per-schema default cannot take away a global one); the service role gets them back.
        await tx.unsafe(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC`);
        await tx.unsafe(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${s} GRANT EXECUTE ON FUNCTIONS TO ${role}`);
        await tx.unsafe(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
        await tx.unsafe(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${role}`);
        // Objects that exist already (a bootstrap re-run after migrations) get the same rights.
        await tx.unsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role}`);
        await tx.unsafe(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${role}`);
        await tx.unsafe(`REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA ${s} FROM PUBLIC`);
        await tx.unsafe(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${s} TO ${role}`);
      }
    });
  } finally {
    await target.end();
  }
}

/**
 * Hands every object in `schema` to `owner`: the schema itself, its tables, views and free-standing
 * sequences (a table's own sequences and indexes follow it), its functions and its types. A no-op
 * on a database this bootstrap made; on one made when a single role owned every schema, it moves
 * each schema to its own owner.
 */
async function adoptSchema(tx: postgres.TransactionSql, schema: string, owner: string): Promise<void> {
  const s = ident(schema);
  const o = ident(owner);
  const [current] = await tx<{ owner: string }[]>`select nspowner::regrole::text as owner from pg_namespace where nspname = ${schema}`;
  if (current?.owner !== owner) await tx.unsafe(`ALTER SCHEMA ${s} OWNER TO ${o}`);
  const objects = await tx<{ statement: string }[]>`
    select format('ALTER %s %s OWNER TO %I', case c.relkind when 'S' then 'SEQUENCE' when 'v' then 'VIEW' when 'm' then 'MATERIALIZED VIEW' else 'TABLE' end, c.oid::regclass, ${owner}::text) as statement
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm', 'S') and c.relowner <> ${owner}::regrole
       and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i') and d.refclassid = 'pg_class'::regclass)
    union all
    select format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, ${owner}::text)
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = ${schema} and p.proowner <> ${owner}::regrole
    union all
    select format('ALTER TYPE %s OWNER TO %I', t.oid::regtype, ${owner}::text)
      from pg_type t join pg_namespace n on n.oid = t.typnamespace
     where n.nspname = ${schema} and t.typowner <> ${owner}::regrole and t.typtype in ('e', 'd', 'c', 'r')
       and (t.typrelid = 0 or (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c')
       and t.typelem = 0`;
  for (const { statement } of objects) await tx.unsafe(statement);
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = postgresClient(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
