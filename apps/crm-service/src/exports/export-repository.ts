import { sql, type SQL } from 'drizzle-orm';
import type { ExportQuery, ImportEntity } from '@atelier/contracts';
import type { TenantTx } from '@atelier/platform';
import { CURSOR_ROWS } from './csv-stream.js';

const timestamp = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
const col = (expression: string) => sql.raw(expression);

/**
 * Export columns per entity: SQL expression by field name. The importable fields come first and
 * are the default, with the names the importer maps on its own, so an export re-imports unchanged;
 * ids and timestamps can be asked for by name.
 */
const columns: Record<ImportEntity, Record<string, SQL>> = {
  clients: {
    name: col('c.name'),
    email: col('c.email'),
    phone: col('c.phone'),
    website: col('c.website'),
    addressLine1: col('c.address_line1'),
    addressLine2: col('c.address_line2'),
    city: col('c.city'),
    region: col('c.region'),
    postalCode: col('c.postal_code'),
    country: col('c.country'),
    currency: col('c.currency'),
    taxId: col('c.tax_id'),
    isActive: col('c.is_active'),
    id: col('c.id'),
    createdAt: timestamp('c.created_at'),
    updatedAt: timestamp('c.updated_at'),
  },
  contacts: {
    clientName: col('cl.name'),
    clientEmail: col('cl.email'),
    firstName: col('c.first_name'),
    lastName: col('c.last_name'),
    email: col('c.email'),
    phone: col('c.phone'),
    title: col('c.title'),
    isPrimary: col('c.is_primary'),
    id: col('c.id'),
    clientId: col('c.client_id'),
    phoneE164: col('c.phone_e164'),
    createdAt: timestamp('c.created_at'),
    updatedAt: timestamp('c.updated_at'),
  },
};

/** Every field an export of the entity can carry, in the default order. */
export const exportableFields = (entity: ImportEntity): string[] => Object.keys(columns[entity]);

export const isExportableField = (entity: ImportEntity, field: string): boolean => Object.hasOwn(columns[entity], field);

/** The SQL of an export: the list filters of the entity, in a stable order. Column expressions are ours; values are parameters. */
function exportQuery(entity: ImportEntity, fields: string[], q: ExportQuery): SQL {
  const select = sql.join(
    fields.map((f) => sql`${columns[entity][f]} as ${sql.identifier(f)}`),
    sql`, `,
  );
  const where: SQL[] = [sql`c.deleted_at is null`];
  if (entity === 'clients') {
    if (q.isActive) where.push(sql`c.is_active = ${q.isActive === 'true'}`);
    if (q.search) where.push(sql`c.search_key like crm.search_like(${q.search})`);
    return sql`select ${select} from crm.clients c where ${sql.join(where, sql` and `)} order by c.name, c.id`;
  }
  if (q.clientId) where.push(sql`c.client_id = ${q.clientId}::uuid`);
  // For contacts, isActive filters by their client's flag (contacts have none of their own).
  if (q.isActive) where.push(sql`cl.is_active = ${q.isActive === 'true'}`);
  if (q.search) where.push(sql`c.search_key like crm.search_like(${q.search})`);
  return sql`select ${select} from crm.contacts c join crm.clients cl on cl.id = c.client_id and cl.deleted_at is null
    where ${sql.join(where, sql` and `)} order by cl.name, cl.id, c.last_name nulls first, c.first_name, c.id`;
}

/** The export's rows, a cursor step at a time. */
export const exportRows = (tx: TenantTx, entity: ImportEntity, fields: string[], q: ExportQuery) =>
  tx.cursor<Record<string, unknown>>(exportQuery(entity, fields, q), CURSOR_ROWS);
