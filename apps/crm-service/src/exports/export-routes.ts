import { Router } from 'express';
import type { z } from 'zod';
import { ExportQuery, importFields, type ImportEntity } from '@atelier/contracts';
import { badRequest, EDITORS, requireRole, validate, type Sql } from '@atelier/platform';
import { streamCsv, type CsvRow } from './csv-stream.js';

const timestamp = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Export columns per entity: SQL expression by field name. The importable fields come first and
 * are the default, with the names the importer maps on its own, so an export re-imports unchanged;
 * ids and timestamps can be asked for by name.
 */
const columns: Record<ImportEntity, Record<string, string>> = {
  clients: {
    name: 'c.name',
    email: 'c.email',
    phone: 'c.phone',
    website: 'c.website',
    addressLine1: 'c.address_line1',
    addressLine2: 'c.address_line2',
    city: 'c.city',
    region: 'c.region',
    postalCode: 'c.postal_code',
    country: 'c.country',
    currency: 'c.currency',
    taxId: 'c.tax_id',
    isActive: 'c.is_active',
    id: 'c.id',
    createdAt: timestamp('c.created_at'),
    updatedAt: timestamp('c.updated_at'),
  },
  contacts: {
    clientName: 'cl.name',
    clientEmail: 'cl.email',
    firstName: 'c.first_name',
    lastName: 'c.last_name',
    email: 'c.email',
    phone: 'c.phone',
    title: 'c.title',
    isPrimary: 'c.is_primary',
    id: 'c.id',
    clientId: 'c.client_id',
    phoneE164: 'c.phone_e164',
    createdAt: timestamp('c.created_at'),
    updatedAt: timestamp('c.updated_at'),
  },
};

export const exportFields = (entity: ImportEntity): string[] => Object.keys(columns[entity]);

function selectedFields(entity: ImportEntity, param: string | undefined): string[] {
  const requested = [...new Set((param ?? '').split(',').map((f) => f.trim()).filter(Boolean))];
  if (requested.length === 0) return [...importFields[entity]];
  const unknown = requested.filter((f) => !(f in columns[entity]));
  if (unknown.length) {
    throw badRequest('Invalid query parameters', [{ path: 'query.fields', message: `unknown field ${unknown.join(', ')}; use ${exportFields(entity).join(', ')}` }]);
  }
  return requested;
}

/** The SQL of an export: the list filters of the entity, in a stable order. Column expressions are ours; values are parameters. */
function exportQuery(entity: ImportEntity, fields: string[], q: z.infer<typeof ExportQuery>): { text: string; params: (string | boolean)[] } {
  const params: (string | boolean)[] = [];
  const param = (v: string | boolean) => {
    params.push(v);
    return `$${params.length}`;
  };
  const select = fields.map((f) => `${columns[entity][f]} as "${f}"`).join(', ');
  const where = ['c.deleted_at is null'];
  if (entity === 'clients') {
    if (q.isActive) where.push(`c.is_active = ${param(q.isActive === 'true')}`);
    if (q.search) where.push(`c.search_key like crm.search_like(${param(q.search)})`);
    return { text: `select ${select} from crm.clients c where ${where.join(' and ')} order by c.name, c.id`, params };
  }
  if (q.clientId) where.push(`c.client_id = ${param(q.clientId)}::uuid`);
  // For contacts, isActive filters by their client's flag (contacts have none of their own).
  if (q.isActive) where.push(`cl.is_active = ${param(q.isActive === 'true')}`);
  if (q.search) where.push(`c.search_key like crm.search_like(${param(q.search)})`);
  return {
    text:
      `select ${select} from crm.contacts c join crm.clients cl on cl.id = c.client_id and cl.deleted_at is null ` +
      `where ${where.join(' and ')} order by cl.name, cl.id, c.last_name nulls first, c.first_name, c.id`,
    params,
  };
}

/** GET /api/exports/clients.csv and /api/exports/contacts.csv: streamed CSV with field selection and the list filters. */
export function exportRoutes(sql: Sql): Router {
  const r = Router();
  for (const entity of ['clients', 'contacts'] as const) {
    r.get(`/api/exports/${entity}.csv`, async (req, res) => {
      const who = requireRole(res, EDITORS);
      const q = validate(ExportQuery, req.query, 'query');
      const fields = selectedFields(entity, q.fields);
      const query = exportQuery(entity, fields, q);
      const day = new Date().toISOString().slice(0, 10);
      await streamCsv(res, sql, who.agencyId, {
        fileName: `${entity}-${day}.csv`,
        bom: q.bom === 'true',
        header: fields,
        query: (tx) => tx.unsafe(query.text, query.params),
        cells: (row: CsvRow) => fields.map((f) => row[f]),
      });
    });
  }
  return r;
}
