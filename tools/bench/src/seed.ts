import type { Sql } from '@atelier/platform';

export interface SeedOptions {
  /** The agency the bench signed up through the API: the one whose list is measured. */
  measuredAgencyId: string;
  /** Further agencies, created straight in the identity schema. */
  otherAgencies: number;
  clientsPerAgency: number;
  /** Concurrent INSERT statements (one connection each); the GIN trigram indexes make this CPU-bound. */
  parallel: number;
}

export interface SeedResult {
  agencies: number;
  clients: number;
  seconds: number;
}

/**
 * Fills crm.clients with set-based SQL as the owner role (which has BYPASSRLS), interleaving the
 * agencies row by row so that, as in production, one agency's clients are spread over the whole
 * heap rather than packed together. Then VACUUM ANALYZE, the state autovacuum keeps a live table in.
 */
export async function seedClients(sql: Sql, o: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const others = await sql<{ id: string }[]>`
    insert into identity.agencies (name)
    select format('Bench Agency %s', lpad(i::text, 3, '0')) from generate_series(1, ${o.otherAgencies}::int) i
    returning id`;
  const ids = [o.measuredAgencyId, ...others.map((r) => r.id)];
  const idList = `{${ids.join(',')}}`;
  const chunk = Math.ceil(o.clientsPerAgency / o.parallel);
  const ranges = Array.from({ length: o.parallel }, (_, i) => [i * chunk + 1, Math.min(o.clientsPerAgency, (i + 1) * chunk)] as const).filter(([a, b]) => a <= b);
  await Promise.all(ranges.map(([from, to]) => insertClients(sql, idList, from, to, digits(o.clientsPerAgency))));
  await sql.unsafe('vacuum analyze crm.clients');
  await sql.unsafe('analyze identity.agencies');
  return { agencies: ids.length, clients: ids.length * o.clientsPerAgency, seconds: (performance.now() - started) / 1000 };
}

/**
 * `count` clients of one more agency (the export and search scenarios' big one), the same rows as
 * above, in `parallel` statements; then VACUUM ANALYZE again (cheap for the pages already frozen).
 */
export async function seedAgency(sql: Sql, agencyId: string, count: number, parallel: number): Promise<SeedResult> {
  const started = performance.now();
  const chunk = Math.ceil(count / parallel);
  const ranges = Array.from({ length: parallel }, (_, i) => [i * chunk + 1, Math.min(count, (i + 1) * chunk)] as const).filter(([a, b]) => a <= b);
  await Promise.all(ranges.map(([from, to]) => insertClients(sql, `{${agencyId}}`, from, to, digits(count))));
  await sql.unsafe('vacuum analyze crm.clients');
  return { agencies: 1, clients: count, seconds: (performance.now() - started) / 1000 };
}

/** Width of the zero-padded client number (lpad cuts longer numbers short). */
const digits = (count: number) => Math.max(5, String(count).length);

/** Client number `from`..`to` of every agency, row after row across agencies. */
function insertClients(sql: Sql, agencyIds: string, from: number, to: number, width: number) {
  return sql.begin(async (tx) => {
    // A bigger GIN pending list turns many small trigram-index merges into fewer large ones.
    await tx`set local gin_pending_list_limit = '64MB'`;
    await tx`
    insert into crm.clients (agency_id, name, email, phone, website, address_line1, city, postal_code, country, currency, is_active, created_at, updated_at)
    select
      a.id,
      format('%s Client %s %s',
        (array['Acme','Northwind','Blue Fjord','Greenleaf','Lumière','Harbor','Summit','Maple','Orion','Cobalt','Juniper','Atlas','Willow','Falcon','Quartz','Meridian'])[1 + (g * 7 + a.k::int) % 16],
        lpad(g::text, ${width}::int, '0'),
        (array['Ltd','GmbH','LLC','AS','SARL','Inc','BV','Oy'])[1 + (g + a.k::int) % 8]),
      format('billing+%s@client-%s-%s.example', lpad(g::text, ${width}::int, '0'), a.k, g % 97),
      format('+44 20 7946 %s', lpad((g % 10000)::text, 4, '0')),
      format('https://client-%s-%s.example', a.k, g),
      format('%s High Street', 1 + g % 300),
      (array['London','Berlin','Paris','Oslo','Austin','Toronto'])[1 + g % 6],
      lpad((10000 + g % 89999)::text, 5, '0'),
      (array['GB','DE','FR','NO','US','CA'])[1 + g % 6],
      (array['GBP','EUR','EUR','NOK','USD','CAD'])[1 + g % 6],
      g % 10 <> 0,
      now() - make_interval(mins => g + a.k::int),
      now() - make_interval(mins => g)
    from generate_series(${from}::int, ${to}::int) g
    cross join unnest(${agencyIds}::uuid[]) with ordinality a(id, k)`;
  });
}
