import postgres from 'postgres';
import { OWNER_ROLE, SERVICE_SCHEMAS, serviceRole, type ServiceName } from './roles.js';

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier: ${name}`);
  return `"${name}"`;
};

async function ensureRole(admin: postgres.Sql, role: string, attributes: string) {
  // Roles are cluster-wide and parallel test runs bootstrap at once: serialise on an advisory lock.
  await admin.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('atelier.bootstrap.roles'))`;
    const [exists] = await tx`select 1 from pg_roles where rolname = ${role}`;
    const verb = exists ? 'ALTER' : 'CREATE';
    await tx.unsafe(`${verb} ROLE ${ident(role)} ${attributes} PASSWORD '${role}'`);
  });
}

/**
 * Idempotent: the database, the owner role, one login role per service and one schema per service,
 * with each service role allowed DML on its own schema only. Runs as a superuser (`adminUrl`).
 */
export async function bootstrapDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await ensureRole(admin, OWNER_ROLE, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS');
    for (const service of Object.keys(SERVICE_SCHEMAS) as ServiceName[]) {
      await ensureRole(admin, serviceRole(service), 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT');
    }
    const [db] = await admin`select 1 from pg_database where datname = ${database}`;
    if (!db) {
      try {
        await admin.unsafe(`CREATE DATABASE ${ident(database)} OWNER ${ident(OWNER_ROLE)}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by a parallel run
      }
    }
  } finally {
    await admin.end();
  }

  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const target = postgres(url.toString(), { max: 1, onnotice: () => {} });
  try {
    await target.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('atelier.bootstrap.schemas'))`;
      await tx.unsafe(`REVOKE ALL ON DATABASE ${ident(database)} FROM PUBLIC`);
      await tx.unsafe(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
      await tx.unsafe(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
      for (const [service, schema] of Object.entries(SERVICE_SCHEMAS) as [ServiceName, string][]) {
        const role = ident(serviceRole(service));
        const s = ident(schema);
        await tx.unsafe(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(database)} TO ${role}`);
        await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${s} AUTHORIZATION ${ident(OWNER_ROLE)}`);
        await tx.unsafe(`REVOKE ALL ON SCHEMA ${s} FROM PUBLIC`);
        await tx.unsafe(`GRANT USAGE ON SCHEMA ${s} TO ${role}`);
        const owner = ident(OWNER_ROLE);
        await tx.unsafe(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
        await tx.unsafe(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${role}`);
        await tx.unsafe(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${s} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC`);
        await tx.unsafe(`ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA ${s} GRANT EXECUTE ON FUNCTIONS TO ${role}`);
        // Tables that exist already (a bootstrap re-run after migrations) get the same rights.
        await tx.unsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role}`);
        await tx.unsafe(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${role}`);
      }
    });
  } finally {
    await target.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${ident(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
