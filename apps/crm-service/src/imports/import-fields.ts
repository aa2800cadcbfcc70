import { z } from 'zod';
import { fieldLabels, importFields, phoneProblem, type ImportEntity } from '@atelier/contracts';
import { isCurrencyCode } from '@atelier/money';
import { invalid, type FieldError } from '@atelier/platform';
import { unescapeCell } from './csv-format.js';

export type ClientField = (typeof importFields.clients)[number];
export type ContactField = (typeof importFields.contacts)[number];
export type ImportField = ClientField | ContactField;

/** Header names compare without case, spaces, underscores, hyphens and dots: "E-mail", "e_mail" and "Email" are one. */
export const normalizeHeader = (name: string) => name.toLowerCase().replace(/[\s_\-.]+/g, '');

// Header names (normalised) that suggest each field, best first. The field's own name always counts.
const synonyms: { [E in ImportEntity]: Record<(typeof importFields)[E][number], string[]> } = {
  clients: {
    name: ['company', 'companyname', 'client', 'clientname', 'organization', 'organisation', 'account', 'accountname', 'business', 'customer'],
    email: ['emailaddress', 'mail', 'companyemail', 'clientemail'],
    phone: ['telephone', 'tel', 'phonenumber', 'companyphone'],
    website: ['web', 'url', 'site', 'homepage', 'www', 'websiteurl'],
    addressLine1: ['address1', 'address', 'street', 'streetaddress', 'line1', 'addressstreet'],
    addressLine2: ['address2', 'line2', 'suite', 'addressline2'],
    city: ['town', 'locality'],
    region: ['state', 'province', 'county', 'stateprovince', 'stateregion'],
    postalCode: ['zip', 'zipcode', 'postcode', 'postal', 'plz'],
    country: ['countrycode', 'countryiso'],
    currency: ['currencycode'],
    taxId: ['vat', 'vatid', 'vatnumber', 'taxnumber', 'tax', 'ein', 'tin'],
    isActive: ['active', 'enabled'],
  },
  contacts: {
    clientName: ['client', 'company', 'companyname', 'organization', 'organisation', 'account', 'accountname', 'customer'],
    clientEmail: ['companyemail', 'accountemail', 'customeremail'],
    firstName: ['first', 'givenname', 'forename'],
    lastName: ['last', 'surname', 'familyname'],
    email: ['emailaddress', 'mail', 'contactemail'],
    phone: ['telephone', 'tel', 'phonenumber', 'mobile', 'cell', 'contactphone'],
    title: ['jobtitle', 'position', 'role'],
    isPrimary: ['primary', 'primarycontact', 'main', 'maincontact'],
  },
};

/** Column → field from the header names: a column suggests at most one field, a field is suggested for at most one column. */
export function suggestMapping(entity: ImportEntity, columns: string[]): Record<string, string> {
  const fields = importFields[entity] as readonly ImportField[];
  const table = synonyms[entity] as Record<string, string[]>;
  const normalized = columns.map(normalizeHeader);
  const mapping: Record<string, string> = {};
  const taken = new Set<number>();
  const labels: Record<string, string> = fieldLabels[entity];
  // Exact field names and our export's headings first ("email" must win over a "mail" synonym
  // elsewhere), then synonyms in order.
  const rank = (field: string, n: string): number => {
    if (n === normalizeHeader(field) || n === normalizeHeader(labels[field] ?? field)) return 0;
    const i = table[field]?.indexOf(n) ?? -1;
    return i < 0 ? -1 : i + 1;
  };
  const candidates: { field: string; col: number; rank: number }[] = [];
  for (const field of fields) {
    normalized.forEach((n, col) => {
      const r = rank(field, n);
      if (r >= 0) candidates.push({ field, col, rank: r });
    });
  }
  candidates.sort((a, b) => a.rank - b.rank || a.col - b.col);
  const assigned = new Set<string>();
  const chosen = new Map<number, string>();
  for (const c of candidates) {
    if (assigned.has(c.field) || taken.has(c.col)) continue;
    chosen.set(c.col, c.field);
    assigned.add(c.field);
    taken.add(c.col);
  }
  // In the file's column order.
  for (const [col, field] of [...chosen].sort((a, b) => a[0] - b[0])) {
    const column = columns[col];
    if (column !== undefined) mapping[column] = field;
  }
  return mapping;
}

/** A mapping resolved against the file: for each field, the index of its column. */
export type ColumnMapping = Map<ImportField, number>;

/** Checks a committed mapping against the file's columns and the entity's fields; 400 with `mapping.<column>` paths. */
export function resolveMapping(entity: ImportEntity, columns: string[], mapping: Record<string, string>): ColumnMapping {
  const fields = importFields[entity] as readonly string[];
  const errors: FieldError[] = [];
  const resolved: ColumnMapping = new Map();
  const from = new Map<string, string>();
  for (const [column, field] of Object.entries(mapping)) {
    const index = columns.indexOf(column);
    if (index < 0) {
      errors.push({ path: `mapping.${column}`, message: 'is not a column of the uploaded file' });
      continue;
    }
    if (field === '') continue; // column left out on purpose
    if (!fields.includes(field)) {
      errors.push({ path: `mapping.${column}`, message: `"${field}" is not a ${entity} field; use one of ${fields.join(', ')}` });
      continue;
    }
    const earlier = from.get(field);
    if (earlier !== undefined) {
      errors.push({ path: `mapping.${column}`, message: `"${field}" is already mapped from column "${earlier}"` });
      continue;
    }
    from.set(field, column);
    resolved.set(field as ImportField, index);
  }
  if (errors.length === 0) {
    if (entity === 'clients' && !resolved.has('name')) errors.push({ path: 'mapping', message: 'map a column to name' });
    if (entity === 'contacts') {
      if (!resolved.has('firstName')) errors.push({ path: 'mapping', message: 'map a column to firstName' });
      if (!resolved.has('clientName') && !resolved.has('clientEmail')) errors.push({ path: 'mapping', message: 'map a column to clientName or clientEmail' });
    }
  }
  if (errors.length) throw invalid('import.invalid_mapping', 'The mapping does not fit the file', errors);
  return inColumnOrder(resolved);
}

/** Fields in the order of their columns, so a row's errors read left to right. */
const inColumnOrder = (mapping: ColumnMapping): ColumnMapping => new Map([...mapping].sort((a, b) => a[1] - b[1]));

/** Mapping from stored JSON (already validated when the job was committed). */
export const mappingFromJson = (columns: string[], mapping: Record<string, string>): ColumnMapping => {
  const resolved: ColumnMapping = new Map();
  for (const [column, field] of Object.entries(mapping)) {
    const index = columns.indexOf(column);
    if (index >= 0 && field !== '') resolved.set(field as ImportField, index);
  }
  return inColumnOrder(resolved);
};

// ---------------------------------------------------------------------------------------------
// Row validation. An empty cell means "no value": it leaves an existing record's field as it is
// (so a partial file never wipes data) and gives a new record the default.

export interface ClientValues {
  name?: string;
  email?: string;
  phone?: string;
  website?: string;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
  currency?: string;
  taxId?: string;
  isActive?: boolean;
}

export interface ContactValues {
  clientName?: string;
  clientEmail?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  title?: string;
  isPrimary?: boolean;
}

export type RowResult<V> = { ok: true; values: V } | { ok: false; errors: string[] };

const emailSchema = z.email().max(254);
const urlSchema = z.url({ protocol: /^https?$/ }).max(500);
const TRUE = new Set(['true', 'yes', 'y', '1', 'x', 'active', 'primary', 'wahr', 'ja', 'oui', 'si', 'sí']);
const FALSE = new Set(['false', 'no', 'n', '0', 'inactive', 'falsch', 'nein', 'non']);

type Check = (raw: string) => { value: string | boolean } | { error: string };

const text =
  (max: number): Check =>
  (raw) =>
    raw.length > max ? { error: `is longer than ${max} characters` } : { value: raw };
const email: Check = (raw) => {
  const v = raw.toLowerCase();
  return emailSchema.safeParse(v).success ? { value: v } : { error: `"${raw}" is not a valid email address` };
};
const website: Check = (raw) => {
  const v = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  return urlSchema.safeParse(v).success ? { value: v } : { error: `"${raw}" is not a valid http(s) URL` };
};
const country: Check = (raw) => {
  const v = raw.toUpperCase();
  return /^[A-Z]{2}$/.test(v) ? { value: v } : { error: `"${raw}" is not a 2-letter ISO 3166-1 country code` };
};
const currency: Check = (raw) => {
  const v = raw.toUpperCase();
  return isCurrencyCode(v) ? { value: v } : { error: `"${raw}" is not a 3-letter ISO 4217 currency code` };
};
const phone: Check = (raw) => {
  if (raw.length > 50) return { error: 'is longer than 50 characters' };
  const problem = phoneProblem(raw);
  return problem ? { error: `"${raw}" ${problem}` } : { value: raw };
};
const bool: Check = (raw) => {
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return { value: true };
  if (FALSE.has(v)) return { value: false };
  return { error: `"${raw}" is not true or false` };
};

// Limits as in the contracts' create/update bodies.
const checks: { [E in ImportEntity]: Record<(typeof importFields)[E][number], Check> } = {
  clients: {
    name: text(200),
    email,
    phone,
    website,
    addressLine1: text(200),
    addressLine2: text(200),
    city: text(100),
    region: text(100),
    postalCode: text(20),
    country,
    currency,
    taxId: text(50),
    isActive: bool,
  },
  contacts: {
    clientName: text(200),
    clientEmail: email,
    firstName: text(100),
    lastName: text(100),
    email,
    phone,
    title: text(100),
    isPrimary: bool,
  },
};

/** The mapped, cleaned cell of `field`: formula prefix removed, trimmed; '' when absent. */
export const cell = (cells: string[], mapping: ColumnMapping, field: ImportField): string => {
  const index = mapping.get(field);
  if (index === undefined) return '';
  return unescapeCell(cells[index] ?? '').trim();
};

function validateRow<V extends object>(entity: ImportEntity, cells: string[], columnCount: number, mapping: ColumnMapping, required: (v: V) => string[]): RowResult<V> {
  const errors: string[] = [];
  if (cells.length > columnCount && cells.slice(columnCount).some((c) => c.trim() !== '')) {
    errors.push(`has ${cells.length} cells but the header has ${columnCount} columns`);
  }
  const values: Record<string, string | boolean> = {};
  const table = checks[entity] as Record<string, Check>;
  for (const field of mapping.keys()) {
    const raw = cell(cells, mapping, field);
    if (raw === '') continue;
    const check = table[field];
    if (!check) continue;
    const result = check(raw);
    if ('error' in result) errors.push(`${field}: ${result.error}`);
    else values[field] = result.value;
  }
  errors.push(...required(values as V));
  return errors.length ? { ok: false, errors } : { ok: true, values: values as V };
}

export const validateClientRow = (cells: string[], columnCount: number, mapping: ColumnMapping): RowResult<ClientValues> =>
  validateRow<ClientValues>('clients', cells, columnCount, mapping, (v) => (v.name ? [] : ['name: is required']));

export const validateContactRow = (cells: string[], columnCount: number, mapping: ColumnMapping): RowResult<ContactValues> =>
  validateRow<ContactValues>('contacts', cells, columnCount, mapping, (v) => {
    const missing: string[] = [];
    if (!v.firstName) missing.push('firstName: is required');
    if (!v.clientName && !v.clientEmail) missing.push('clientName or clientEmail: is required to link the contact to its client');
    return missing;
  });

export const validateEntityRow = (entity: ImportEntity, cells: string[], columnCount: number, mapping: ColumnMapping): RowResult<ClientValues | ContactValues> =>
  entity === 'clients' ? validateClientRow(cells, columnCount, mapping) : validateContactRow(cells, columnCount, mapping);
