import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { sql as dsql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, schemaOwnerRole, SERVICE_SCHEMAS, serviceRole, tenantTx, type ServiceName } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';
import { DEFINER_PROBES } from './definer-probes.js';

/**
 * Tenancy is enforced by Postgres, not by the services' good manners. This suite migrates every
 * service that has migrations (`apps/<app>/drizzle`, whatever exists at run time) into one throwaway
 * database and checks, from the catalog and by trying, that every tenant table isolates agencies for
 * the service's own login role, and that the roles hold no more rights than their own schema's DML.
 */

// --- which services have migrations -----------------------------------------------------------

const appsDir = fileURLToPath(new URL('../../../apps', import.meta.url));
/** `apps/gateway` -> gateway, `apps/crm-service` -> crm, … */
const serviceOfApp = (app: string) => app.replace(/-service$/, '');
const isService = (name: string): name is ServiceName => Object.hasOwn(SERVICE_SCHEMAS, name);

const appDirs = readdirSync(appsDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(path.join(appsDir, d.name, 'drizzle')));
/** A `drizzle` folder the migrator cannot read (no journal) would silently escape this suite. */
const unreadable = appDirs.filter((d) => !existsSync(path.join(appsDir, d.name, 'drizzle', 'meta', '_journal.json'))).map((d) => `apps/${d.name}/drizzle`);
const migrationFolders = appDirs
  .filter((d) => !unreadable.includes(`apps/${d.name}/drizzle`))
  .map((d) => ({ app: d.name, service: serviceOfApp(d.name), folder: path.join(appsDir, d.name, 'drizzle') }))
  .sort((a, b) => a.app.localeCompare(b.app));
const migrated = migrationFolders.flatMap((m) => (isService(m.service) ? [{ ...m, service: m.service, schema: SERVICE_SCHEMAS[m.service] }] : []));
const allServices = Object.keys(SERVICE_SCHEMAS) as ServiceName[];

// --- catalog ----------------------------------------------------------------------------------

interface Column {
  name: string;
  type: string; // format_type, e.g. character(3)
  base: string; // base type name (domains resolved), e.g. bpchar
  typtype: string;
  category: string;
  length: number | null;
  required: boolean; // NOT NULL and nothing fills it in
  fillable: boolean; // no default, identity or generation expression
  enumLabel: string | null;
}

interface TenantTable {
  service: ServiceName;
  schema: string;
  name: string;
  oid: number;
  qualified: string;
  rls: boolean;
  force: boolean;
  agencyIndex: boolean;
  columns: Column[];
  checks: string[];
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

let db: TestDatabase;
let admin: postgres.Sql; // superuser: catalog reads and seeding rows that need foreign keys switched off
let tables: TenantTable[] = [];
const roleSql = new Map<ServiceName, postgres.Sql>();
const asRole = (service: ServiceName) => {
  let s = roleSql.get(service);
  if (!s) {
    // One connection, so that "after a tenant transaction on this connection" means exactly that.
    s = postgres(db.urlFor(service), { max: 1, onnotice: () => {} });
    roleSql.set(service, s);
  }
  return s;
};

async function loadTenantTables(): Promise<TenantTable[]> {
  const schemas = migrated.map((m) => m.schema);
  const rows = await admin<{ schema: string; name: string; oid: number; rls: boolean; force: boolean; agencyIndex: boolean }[]>`
    select n.nspname as schema, c.relname as name, c.oid::int as oid, c.relrowsecurity as rls, c.relforcerowsecurity as force,
           exists (select 1 from pg_index i where i.indrelid = c.oid and i.indkey[0] = a.attnum) as "agencyIndex"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'agency_id' and not a.attisdropped
    where n.nspname = any(${schemas}) and c.relkind in ('r', 'p')
    order by 1, 2`;
  const result: TenantTable[] = [];
  for (const r of rows) {
    const columns = await admin<Column[]>`
      select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, b.typname as base, t.typtype, b.typcategory as category,
             case when b.typname in ('bpchar', 'varchar') and coalesce(nullif(t.typtypmod, -1), a.atttypmod) > 4
                  then coalesce(nullif(t.typtypmod, -1), a.atttypmod) - 4 end as length,
             a.attnotnull and not a.atthasdef and a.attidentity = '' and a.attgenerated = '' as required,
             not a.atthasdef and a.attidentity = '' and a.attgenerated = '' as fillable,
             (select e.enumlabel from pg_enum e where e.enumtypid = b.oid order by e.enumsortorder limit 1) as "enumLabel"
      from pg_attribute a
      join pg_type t on t.oid = a.atttypid
      join pg_type b on b.oid = case when t.typtype = 'd' then t.typbasetype else t.oid end
      where a.attrelid = ${r.oid} and a.attnum > 0 and not a.attisdropped
      order by a.attnum`;
    const checks = await admin<{ def: string }[]>`select pg_get_constraintdef(oid) as def from pg_constraint where conrelid = ${r.oid} and contype = 'c'`;
    const m = migrated.find((x) => x.schema === r.schema)!;
    result.push({ ...r, service: m.service, qualified: `${ident(r.schema)}.${ident(r.name)}`, columns, checks: checks.map((c) => c.def) });
  }
  return result;
}

// --- rows made up from the catalog ------------------------------------------------------------

/** A value of the column's type, sent as text and cast by Postgres; null when the type is not known here. */
function valueFor(table: TenantTable, c: Column): string | null {
  // A CHECK that pins a text column to a list (`status = ANY (ARRAY['draft'::text, …])`) gets its first entry.
  const escaped = c.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const def of table.checks) {
    const listed = new RegExp(`\\b${escaped}\\b\\)?(?:::[a-z ]+)?\\)? = ANY \\(\\(?ARRAY\\['([^']*)'`).exec(def);
    if (listed?.[1] !== undefined) return listed[1];
    // The same for a number column pinned to a list (`threshold = ANY (ARRAY[50, 80, 100])`).
    const numbers = new RegExp(`\\b${escaped}\\b\\)? = ANY \\(ARRAY\\[(-?\\d+)`).exec(def);
    if (numbers?.[1] !== undefined) return numbers[1];
  }
  if (c.typtype === 'e') return c.enumLabel;
  if (c.category === 'A') return '{}';
  switch (c.base) {
    case 'uuid':
      return randomUUID();
    case 'text':
    case 'varchar':
    case 'citext':
    case 'name':
      return `rls-${randomUUID()}`.slice(0, c.length ?? 64);
    case 'bpchar':
      return 'X'.repeat(c.length ?? 1);
    case 'int2':
    case 'int4':
    case 'int8':
      return String(randomInt(1, 30_000));
    case 'numeric':
    case 'float4':
    case 'float8':
    case 'money':
      return '1';
    case 'bool':
      return 'false';
    case 'timestamptz':
    case 'timestamp':
    case 'date':
      return new Date().toISOString();
    case 'time':
    case 'timetz':
      return '12:00';
    case 'interval':
      return '1 hour';
    case 'json':
    case 'jsonb':
      return '{}';
    case 'bytea':
      return '\\x00';
    case 'inet':
    case 'cidr':
      return '127.0.0.1';
    default:
      return null;
  }
}

/** `insert` for one made-up row of `agencyId`: the required columns only, or every column that has no default. */
function insertStatement(table: TenantTable, agencyId: string, everyColumn = false): { text: string; params: string[] } {
  const cols = table.columns.filter((c) => c.name === 'agency_id' || (everyColumn ? c.fillable : c.required));
  const params: string[] = [];
  for (const c of cols) {
    const v = c.name === 'agency_id' ? agencyId : valueFor(table, c);
    if (v === null) throw new Error(`${table.qualified}.${c.name}: no test value for type ${c.type}; teach rls.test.ts's valueFor`);
    params.push(v);
  }
  const values = cols.map((c, i) => `$${i + 1}::text::${c.type}`).join(', ');
  return { text: `insert into ${table.qualified} (${cols.map((c) => ident(c.name)).join(', ')}) values (${values})`, params };
}

const errorOf = async (p: Promise<unknown>): Promise<{ code?: string; message: string } | null> => {
  try {
    await p;
    return null;
  } catch (err) {
    return err as { code?: string; message: string };
  }
};

/** Rows of agencies A and B in every tenant table that a made-up row can be written to. */
const A = randomUUID();
const B = randomUUID();
const seeded = new Map<string, 'service role' | 'superuser'>(); // qualified name -> who wrote the rows
const unseedable = new Map<string, string>();
/**
 * Tables whose rows only triggers write, from the table named: seeding that table (one row per
 * agency) seeds them, and a row written to them directly would be one too many.
 */
const DERIVED: Record<string, string> = { '"billing"."invoice_tallies"': '"billing"."invoices"' };

async function seed(table: TenantTable): Promise<void> {
  const errors: string[] = [];
  // First as the service role in tenant transactions (which also proves WITH CHECK admits the agency's
  // own rows); rows whose foreign keys point at rows we have not made go in as the superuser with
  // foreign-key triggers off (session_replication_role = replica).
  for (const everyColumn of [false, true]) {
    try {
      for (const agency of [A, B]) {
        await asRole(table.service).begin(async (tx) => {
          await tx`select set_config('app.agency_id', ${agency}, true)`;
          const s = insertStatement(table, agency, everyColumn);
          await tx.unsafe(s.text, s.params);
        });
      }
      seeded.set(table.qualified, 'service role');
      return;
    } catch (err) {
      errors.push(`service role: ${(err as Error).message}`);
    }
  }
  for (const everyColumn of [false, true]) {
    try {
      await admin.begin(async (tx) => {
        await tx`set local session_replication_role = replica`;
        for (const agency of [A, B]) {
          const s = insertStatement(table, agency, everyColumn);
          await tx.unsafe(s.text, s.params);
        }
      });
      seeded.set(table.qualified, 'superuser');
      return;
    } catch (err) {
      errors.push(`superuser: ${(err as Error).message}`);
    }
  }
  unseedable.set(table.qualified, errors.join(' | '));
}

// --- setup ------------------------------------------------------------------------------------

beforeAll(async () => {
  db = await createTestDatabase(Object.fromEntries(migrated.map((m) => [m.service, m.folder])));
  admin = postgres(db.adminUrl, { max: 2, onnotice: () => {} });
  tables = await loadTenantTables();
  for (const t of tables) if (!DERIVED[t.qualified]) await seed(t);
  for (const [derived, source] of Object.entries(DERIVED)) {
    const by = seeded.get(source);
    if (by) seeded.set(derived, by);
  }
  if (unseedable.size > 0) {
    console.warn(`rls.test: no made-up row fits these tables, so only their empty-table checks ran:\n${[...unseedable].map(([t, e]) => `  ${t}: ${e}`).join('\n')}`);
  }
}, 120_000);

afterAll(async () => {
  for (const s of roleSql.values()) await s.end();
  await admin?.end();
  await db?.drop();
});

// --- the checks -------------------------------------------------------------------------------

describe('discovery', () => {
  it('maps every apps/*/drizzle folder to a service schema, crm included', () => {
    const unknown = migrationFolders.filter((m) => !isService(m.service)).map((m) => `apps/${m.app}/drizzle`);
    expect(unknown, 'migration folders of apps missing from SERVICE_SCHEMAS').toEqual([]);
    expect(unreadable, 'drizzle folders without meta/_journal.json').toEqual([]);
    expect(migrated.map((m) => m.service)).toContain('crm');
    console.info(`rls.test: schemas under test: ${migrated.map((m) => `${m.schema} (apps/${m.app})`).join(', ')}`);
  });

  it('finds the tenant tables of every migrated schema', () => {
    expect(tables.filter((t) => t.schema === 'crm').map((t) => t.name)).toEqual(expect.arrayContaining(['clients', 'inbox', 'outbox', 'timeline_entries', 'attachments', 'attachment_usage']));
    // The kit's attachment tables, in every service that keeps attachments.
    expect(tables.filter((t) => t.schema === 'projects').map((t) => t.name)).toEqual(expect.arrayContaining(['attachments', 'attachment_usage']));
    for (const t of tables.filter((x) => x.schema === 'crm')) expect(seeded.get(t.qualified), t.qualified).toBe('service role');
  });
});

describe('catalog: every table with agency_id', () => {
  it('has ENABLE and FORCE row-level security', () => {
    const bad = tables.filter((t) => !t.rls || !t.force).map((t) => `${t.qualified}: enabled=${t.rls} forced=${t.force}`);
    expect(bad).toEqual([]);
  });

  it('has a policy with USING and WITH CHECK on app.agency_id, and no policy that ignores it', async () => {
    const bad: string[] = [];
    for (const t of tables) {
      const policies = await admin<{ name: string; permissive: boolean; cmd: string; using: string | null; check: string | null }[]>`
        select polname as name, polpermissive as permissive, polcmd as cmd,
               pg_get_expr(polqual, polrelid) as using, pg_get_expr(polwithcheck, polrelid) as check
        from pg_policy where polrelid = ${t.oid}`;
      const scoped = (e: string | null) => e !== null && e.includes('agency_id') && e.includes("'app.agency_id'");
      if (!policies.some((p) => p.cmd === '*' && scoped(p.using) && scoped(p.check))) bad.push(`${t.qualified}: no FOR ALL policy with USING and WITH CHECK on app.agency_id`);
      for (const p of policies.filter((x) => x.permissive)) {
        if ((p.using !== null && !scoped(p.using)) || (p.check !== null && !scoped(p.check))) bad.push(`${t.qualified}: permissive policy ${p.name} does not compare agency_id to app.agency_id`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has an index whose first column is agency_id', () => {
    expect(tables.filter((t) => !t.agencyIndex).map((t) => t.qualified)).toEqual([]);
  });

  it('stores money exactly: no float or money-typed column (money is NUMERIC, architecture.md)', () => {
    const inexact = tables.flatMap((t) => t.columns.filter((c) => ['float4', 'float8', 'money'].includes(c.base)).map((c) => `${t.qualified}.${c.name}: ${c.type}`));
    expect(inexact).toEqual([]);
  });
});

describe('service roles', () => {
  const roles = allServices.map(serviceRole);

  it('are not superusers, lack BYPASSRLS and other powers, and belong to no role', async () => {
    const attrs = await admin<{ name: string; super: boolean; bypassrls: boolean; createrole: boolean; createdb: boolean; replication: boolean }[]>`
      select rolname as name, rolsuper as super, rolbypassrls as bypassrls, rolcreaterole as createrole, rolcreatedb as createdb, rolreplication as replication
      from pg_roles where rolname = any(${roles}) order by rolname`;
    expect(attrs.map((r) => r.name)).toEqual([...roles].sort());
    for (const r of attrs) expect(r, r.name).toMatchObject({ super: false, bypassrls: false, createrole: false, createdb: false, replication: false });
    const memberships = await admin<{ role: string; memberOf: string }[]>`
      select m.rolname as role, g.rolname as "memberOf" from pg_auth_members am
      join pg_roles m on m.oid = am.member join pg_roles g on g.oid = am.roleid
      where m.rolname = any(${roles})`;
    expect(memberships).toEqual([]);
    for (const role of roles) {
      for (const service of allServices) {
        const [r] = await admin<{ owner: boolean }[]>`select pg_has_role(${role}, ${schemaOwnerRole(service)}, 'MEMBER') as owner`;
        expect(r?.owner, `${role} member of ${schemaOwnerRole(service)}`).toBe(false);
      }
    }
  });

  it('own no tables, sequences, schemas or functions, and cannot create any', async () => {
    const owned = await admin<{ what: string }[]>`
      select 'relation ' || c.oid::regclass::text as what from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = any(${roles})
      union all select 'schema ' || n.nspname from pg_namespace n join pg_roles r on r.oid = n.nspowner where r.rolname = any(${roles})
      union all select 'function ' || p.oid::regprocedure::text from pg_proc p join pg_roles r on r.oid = p.proowner where r.rolname = any(${roles})`;
    expect(owned).toEqual([]);
    for (const service of allServices) {
      const own = SERVICE_SCHEMAS[service];
      for (const target of [own, 'public']) {
        const err = await errorOf(asRole(service).unsafe(`create table ${ident(target)}.rls_probe (x int)`));
        expect(err?.code, `${service} creating a table in ${target}`).toBe('42501');
      }
    }
  });

  it("cannot read or write another service's schema", async () => {
    const bad: string[] = [];
    for (const service of allServices) {
      for (const [other, schema] of Object.entries(SERVICE_SCHEMAS)) {
        if (other === service) continue;
        const [table] = await admin<{ name: string }[]>`select tablename as name from pg_tables where schemaname = ${schema} order by tablename limit 1`;
        const target = `${ident(schema)}.${ident(table?.name ?? 'no_such_table')}`;
        for (const statement of [`select 1 from ${target} limit 1`, `delete from ${target}`]) {
          const err = await errorOf(asRole(service).unsafe(statement));
          if (err?.code !== '42501' || !/permission denied for schema/.test(err.message)) {
            bad.push(`${serviceRole(service)}: ${statement} -> ${err ? `${err.code} ${err.message}` : 'allowed'}`);
          }
        }
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('row-level security, tried as each service role', () => {
  it('without app.agency_id a role sees no rows and can write none, in every tenant table', async () => {
    const bad: string[] = [];
    for (const t of tables) {
      const s = asRole(t.service);
      const [total] = await admin<{ n: number }[]>`select count(*)::int as n from ${admin(t.schema)}.${admin(t.name)} where agency_id in (${A}, ${B})`;
      if (seeded.has(t.qualified) && total?.n !== 2) bad.push(`${t.qualified}: seeding left ${total?.n} rows`);

      // A fresh session, one whose previous transaction had a tenant, and one with an empty setting.
      const [fresh] = await s.unsafe<{ n: number }[]>(`select count(*)::int as n from ${t.qualified}`);
      await s.begin(async (tx) => {
        await tx`select set_config('app.agency_id', ${A}, true)`;
        await tx.unsafe(`select 1 from ${t.qualified} limit 1`);
      });
      const [after] = await s.unsafe<{ n: number }[]>(`select count(*)::int as n from ${t.qualified}`);
      const [empty] = await s.begin(async (tx) => {
        await tx`select set_config('app.agency_id', '', true)`;
        return tx.unsafe<{ n: number }[]>(`select count(*)::int as n from ${t.qualified}`);
      });
      for (const [when, r] of [['fresh session', fresh], ['after a tenant transaction', after], ['empty setting', empty]] as const) {
        if (r?.n !== 0) bad.push(`${t.qualified}: ${when}: saw ${r?.n} rows`);
      }

      const ins = insertStatement(t, A);
      const insErr = await errorOf(s.unsafe(ins.text, ins.params));
      if (insErr?.code !== '42501' || !/row-level security/.test(insErr.message)) bad.push(`${t.qualified}: insert without agency -> ${insErr ? `${insErr.code} ${insErr.message}` : 'accepted'}`);
      const upd = await s.unsafe(`update ${t.qualified} set agency_id = agency_id`);
      const del = await s.unsafe(`delete from ${t.qualified}`);
      if (upd.count !== 0 || del.count !== 0) bad.push(`${t.qualified}: without agency updated ${upd.count}, deleted ${del.count}`);
    }
    expect(bad).toEqual([]);
  });

  it("an agency's transaction never sees, updates, deletes or writes another agency's rows, in every tenant table", async () => {
    const bad: string[] = [];
    for (const t of tables.filter((x) => seeded.has(x.qualified))) {
      const s = asRole(t.service);
      const inA = <T>(fn: (tx: postgres.TransactionSql) => Promise<T>) =>
        s.begin(async (tx) => {
          await tx`select set_config('app.agency_id', ${A}, true)`;
          return fn(tx);
        }) as Promise<T>;

      const seen = await inA((tx) => tx.unsafe<{ agency: string }[]>(`select agency_id::text as agency from ${t.qualified}`));
      if (seen.length !== 1 || seen[0]?.agency !== A) bad.push(`${t.qualified}: A saw ${JSON.stringify(seen)}`);
      const changed = await inA(async (tx) => ({
        updateB: (await tx.unsafe(`update ${t.qualified} set agency_id = agency_id where agency_id = $1`, [B])).count,
        deleteB: (await tx.unsafe(`delete from ${t.qualified} where agency_id = $1`, [B])).count,
        updateAll: (await tx.unsafe(`update ${t.qualified} set agency_id = agency_id`)).count,
      }));
      if (changed.updateB !== 0 || changed.deleteB !== 0 || changed.updateAll !== 1) bad.push(`${t.qualified}: A changed ${JSON.stringify(changed)}`);

      const insB = insertStatement(t, B);
      const insErr = await errorOf(inA((tx) => tx.unsafe(insB.text, insB.params)));
      if (insErr?.code !== '42501' || !/row-level security/.test(insErr.message)) bad.push(`${t.qualified}: A inserting a row of B -> ${insErr ? `${insErr.code} ${insErr.message}` : 'accepted'}`);
      const moveErr = await errorOf(inA((tx) => tx.unsafe(`update ${t.qualified} set agency_id = $1`, [B])));
      if (moveErr?.code !== '42501' || !/row-level security/.test(moveErr.message)) bad.push(`${t.qualified}: A moving its row to B -> ${moveErr ? `${moveErr.code} ${moveErr.message}` : 'accepted'}`);

      const [left] = await admin<{ a: number; b: number }[]>`
        select count(*) filter (where agency_id = ${A})::int as a, count(*) filter (where agency_id = ${B})::int as b
        from ${admin(t.schema)}.${admin(t.name)}`;
      if (left?.a !== 1 || left?.b !== 1) bad.push(`${t.qualified}: rows left A=${left?.a} B=${left?.b}`);
    }
    expect(bad).toEqual([]);
  });

  it('crm.clients through the kit: tenantTx isolates agencies for the crm role', async () => {
    const crm = createDatabase(db.urlFor('crm'), { max: 2 });
    try {
      const agencyA = randomUUID();
      const agencyB = randomUUID();
      const create = (agency: string, name: string) =>
        tenantTx(crm.db, agency, async (tx) => {
          const rows = await tx.execute<{ id: string }>(dsql`insert into crm.clients (agency_id, name) values (${agency}, ${name}) returning id`);
          return rows[0]!.id;
        });
      const a = await create(agencyA, 'Alpha of A');
      const b = await create(agencyB, 'Beta of B');

      const names = (agency: string) =>
        tenantTx(crm.db, agency, async (tx) => (await tx.execute<{ name: string }>(dsql`select name from crm.clients where agency_id in (${agencyA}, ${agencyB}) order by name`)).map((r) => r.name));
      expect(await names(agencyA)).toEqual(['Alpha of A']);
      expect(await names(agencyB)).toEqual(['Beta of B']);

      // A can address B's client by id, and still nothing happens to it.
      await tenantTx(crm.db, agencyA, async (tx) => {
        expect(await tx.execute(dsql`select 1 from crm.clients where id = ${b}`)).toHaveLength(0);
        expect(await tx.execute(dsql`update crm.clients set name = 'hijacked' where id = ${b} returning id`)).toHaveLength(0);
        expect(await tx.execute(dsql`delete from crm.clients where id = ${b} returning id`)).toHaveLength(0);
      });
      const rlsError = { cause: expect.objectContaining({ code: '42501', message: expect.stringMatching(/row-level security/) }) };
      const insertForB = tenantTx(crm.db, agencyA, (tx) => tx.execute(dsql`insert into crm.clients (agency_id, name) values (${agencyB}, 'planted')`));
      await expect(insertForB).rejects.toMatchObject(rlsError);
      const moveToB = tenantTx(crm.db, agencyA, (tx) => tx.execute(dsql`update crm.clients set agency_id = ${agencyB} where id = ${a}`));
      await expect(moveToB).rejects.toMatchObject(rlsError);

      // Outside tenantTx the same role sees and writes nothing.
      expect(await crm.db.execute(dsql`select 1 from crm.clients where id in (${a}, ${b})`)).toHaveLength(0);
      await expect(crm.db.execute(dsql`insert into crm.clients (agency_id, name) values (${agencyA}, 'untenanted')`)).rejects.toMatchObject(rlsError);

      // B's client is intact, seen as B.
      const [row] = await tenantTx(crm.db, agencyB, (tx) => tx.execute<{ name: string; agency: string }>(dsql`select name, agency_id::text as agency from crm.clients where id = ${b}`));
      expect(row).toEqual({ name: 'Beta of B', agency: agencyB });
    } finally {
      await crm.close();
    }
  });
});

describe('schema owner roles', () => {
  const owners = allServices.map(schemaOwnerRole);

  it('are not superusers and hold no powers beyond BYPASSRLS (for their cross-tenant functions), and belong to no role', async () => {
    const attrs = await admin<{ name: string; super: boolean; bypassrls: boolean; createrole: boolean; createdb: boolean; replication: boolean }[]>`
      select rolname as name, rolsuper as super, rolbypassrls as bypassrls, rolcreaterole as createrole, rolcreatedb as createdb, rolreplication as replication
      from pg_roles where rolname = any(${owners}) order by rolname`;
    expect(attrs.map((r) => r.name)).toEqual([...owners].sort());
    for (const r of attrs) expect(r, r.name).toMatchObject({ super: false, bypassrls: true, createrole: false, createdb: false, replication: false });
    const memberships = await admin`select 1 from pg_auth_members am join pg_roles m on m.oid = am.member where m.rolname = any(${owners})`;
    expect(memberships).toHaveLength(0);
  });

  it('each owns its schema and everything in it, and nothing elsewhere', async () => {
    const wrong = await admin<{ what: string }[]>`
      with objects as (
        select 'relation ' || c.oid::regclass::text as what, n.nspname as schema, c.relowner as owner
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
        union all select 'function ' || p.oid::regprocedure::text, n.nspname, p.proowner from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        union all select 'type ' || t.oid::regtype::text, n.nspname, t.typowner from pg_type t join pg_namespace n on n.oid = t.typnamespace
        union all select 'schema ' || n.nspname, n.nspname, n.nspowner from pg_namespace n)
      -- (pg_toast: a table's TOAST table belongs to the table's owner)
      select o.what || ' (schema ' || o.schema || ') is owned by ' || o.owner::regrole::text as what
        from objects o
        left join (select * from unnest(${allServices.map((s) => SERVICE_SCHEMAS[s])}::text[], ${owners}::text[]) as x(schema, owner)) expected on expected.schema = o.schema
       where (expected.owner is not null and o.owner::regrole::text <> expected.owner)
          or (expected.owner is null and o.schema <> 'pg_toast' and o.owner::regrole::text = any(${owners}))`;
    expect(wrong.map((w) => w.what)).toEqual([]);
  });

  it("cannot read or write another service's schema, nor create anything outside their own", async () => {
    const bad: string[] = [];
    for (const service of allServices) {
      const owner = postgres(db.schemaOwnerUrlFor(service), { max: 1, onnotice: () => {} });
      try {
        for (const [other, schema] of Object.entries(SERVICE_SCHEMAS)) {
          if (other === service) continue;
          const [table] = await admin<{ name: string }[]>`select tablename as name from pg_tables where schemaname = ${schema} order by tablename limit 1`;
          const target = `${ident(schema)}.${ident(table?.name ?? 'no_such_table')}`;
          for (const statement of [`select 1 from ${target} limit 1`, `delete from ${target}`]) {
            const err = await errorOf(owner.unsafe(statement));
            if (err?.code !== '42501') bad.push(`${schemaOwnerRole(service)}: ${statement} -> ${err ? `${err.code} ${err.message}` : 'allowed'}`);
          }
        }
        for (const statement of ['create table public.owner_probe (x int)', 'create schema owner_probe', 'create temporary table owner_probe (x int)']) {
          const err = await errorOf(owner.unsafe(statement));
          if (err?.code !== '42501') bad.push(`${schemaOwnerRole(service)}: ${statement} -> ${err ? `${err.code} ${err.message}` : 'allowed'}`);
        }
      } finally {
        await owner.end();
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('SECURITY DEFINER functions', () => {
  interface Definer {
    signature: string;
    schema: string;
    owner: string;
    config: string[] | null;
    executors: string[];
    argTypes: string[];
  }
  const loadDefiners = () =>
    admin<Definer[]>`
      select p.oid::regprocedure::text as signature, n.nspname as schema, p.proowner::regrole::text as owner, p.proconfig as config,
             array(select case when a.grantee = 0 then 'PUBLIC' else a.grantee::regrole::text end
                     from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a where a.privilege_type = 'EXECUTE' order by 1) as executors,
             array(select quote_ident(tn.nspname) || '.' || quote_ident(t.typname)
                     from unnest(p.proargtypes::oid[]) with ordinality as arg(oid, i)
                     join pg_type t on t.oid = arg.oid join pg_namespace tn on tn.oid = t.typnamespace order by arg.i) as "argTypes"
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema')
       order by 1`;
  const serviceOfSchema = (schema: string) => allServices.find((s) => SERVICE_SCHEMAS[s] === schema);

  it('every one in the database lives in a service schema, is owned by its schema owner, pins search_path with pg_temp last and is executable by its service role only', async () => {
    const definers = await loadDefiners();
    expect(definers.map((d) => d.signature)).toEqual(expect.arrayContaining(['crm.search_client_page(text,boolean,text,boolean,text,uuid,integer)', 'crm.outbox_claim(integer)']));
    const bad: string[] = [];
    for (const d of definers) {
      const service = serviceOfSchema(d.schema);
      if (!service) {
        bad.push(`${d.signature}: not in a service schema`);
        continue;
      }
      if (d.owner !== schemaOwnerRole(service)) bad.push(`${d.signature}: owned by ${d.owner}`);
      const path = d.config?.find((c) => c.startsWith('search_path='))?.slice('search_path='.length).split(',').map((x) => x.trim());
      if (path?.at(-1) !== 'pg_temp' || path[0] !== 'pg_catalog') bad.push(`${d.signature}: search_path ${path?.join(', ') ?? 'not set'}`);
      const executors = d.executors.filter((e) => e !== d.owner);
      if (JSON.stringify(executors) !== JSON.stringify([serviceRole(service)])) bad.push(`${d.signature}: executable by ${executors.join(', ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('each one, probed with two agencies, keeps them apart', async () => {
    const definers = await loadDefiners();
    const unprobed = definers.filter((d) => !Object.hasOwn(DEFINER_PROBES, d.signature)).map((d) => d.signature);
    expect(unprobed, 'definer functions without a two-agency probe in libs/platform/test/definer-probes.ts').toEqual([]);
    const ctx = { admin, as: asRole, A, B };
    const bad: string[] = [];
    for (const d of definers) for (const problem of await DEFINER_PROBES[d.signature]!(ctx)) bad.push(`${d.signature}: ${problem}`);
    expect(bad).toEqual([]);
  });

  /**
   * The exploit of issue 8: Postgres searches the caller's temporary schema first for tables and
   * types unless search_path names pg_temp, so a caller could shadow a type a definer function's
   * SQL names with a temporary domain whose CHECK runs the caller's code as the function's owner.
   */
  class TrapRolledBack extends Error {}
  const HIJACKED_TYPES = ['text', 'uuid', 'timestamptz', 'interval', 'int4', 'bool', 'jsonb'];
  async function withTemporaryTrap<T>(service: ServiceName, agency: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T | { error: string }> {
    // A fresh session: plpgsql keeps the types it resolved when it first compiled a function.
    const s = postgres(db.urlFor(service), { max: 1, onnotice: () => {} });
    let result: T | undefined;
    try {
      await s.begin(async (tx) => {
          await tx`select set_config('app.agency_id', ${agency}, true)`;
          await tx.unsafe(`
            create function pg_temp.hijack(v pg_catalog.text) returns pg_catalog.bool language plpgsql as $f$
            declare seen pg_catalog.text;
            begin
              begin
                perform 1 from identity.users limit 1;
                seen := 'read identity.users';
              exception when insufficient_privilege then
                seen := 'was denied identity.users';
              end;
              raise exception 'hijacked: ran as % and %', current_user, seen;
            end $f$`);
          for (const t of HIJACKED_TYPES) await tx.unsafe(`create domain pg_temp.${t} as pg_catalog.${t} check (pg_temp.hijack(value::pg_catalog.text))`);
          result = await fn(tx);
          throw new TrapRolledBack(); // leave nothing behind when fn succeeded either
        });
      return result as T; // not reached: begin always rejects
    } catch (err) {
      return err instanceof TrapRolledBack ? (result as T) : { error: (err as Error).message };
    } finally {
      await s.end();
    }
  }

  it("none runs a caller's temporary types as its owner", async () => {
    const bad: string[] = [];
    for (const d of await loadDefiners()) {
      const service = serviceOfSchema(d.schema);
      if (!service) continue;
      const call = `select * from ${d.signature.replace(/\(.*$/, '')}(${d.argTypes.map((t) => `null::${t}`).join(', ')})`;
      const outcome = await withTemporaryTrap(service, A, (tx) => tx.unsafe(call));
      if (typeof outcome === 'object' && outcome !== null && 'error' in outcome && /hijacked/.test(outcome.error)) bad.push(`${d.signature}: ${outcome.error}`);
    }
    const search = await withTemporaryTrap('crm', A, (tx) => tx`select * from crm.search_client_page('acme', null, 'created_at', false, '2026-01-01T00:00:00Z', ${randomUUID()}, 10)`);
    expect(search).not.toMatchObject({ error: expect.stringMatching(/hijacked/) });
    expect(bad).toEqual([]);
  });

  it('a function without pg_temp last is hijacked that way, and even then its owner cannot read identity.users', async () => {
    const fn = 'crm.search_client_page(text,boolean,text,boolean,text,uuid,integer)';
    const call = (tx: postgres.TransactionSql) => tx`select * from crm.search_client_page('acme', null, 'created_at', false, '2026-01-01T00:00:00Z', ${randomUUID()}, 10)`;
    await admin.unsafe(`alter function ${fn} set search_path = pg_catalog, public`);
    try {
      const outcome = await withTemporaryTrap('crm', A, call);
      expect(outcome).toMatchObject({ error: `hijacked: ran as ${schemaOwnerRole('crm')} and was denied identity.users` });
    } finally {
      await admin.unsafe(`alter function ${fn} set search_path = pg_catalog, pg_temp`);
    }
    expect(await withTemporaryTrap('crm', A, call)).toEqual([{ total: '0', ids: [] }]);
  });
});
