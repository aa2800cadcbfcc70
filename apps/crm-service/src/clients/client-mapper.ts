import { randomUUID } from 'node:crypto';
import type { Client, CreateClientBody, UpdateClientBody } from '@atelier/contracts';
import type { clients } from '../db/schema.js';

/** A client as the code sees it: the search key is the database's business. */
export type ClientRow = Omit<typeof clients.$inferSelect, 'searchKey'>;
export type ClientColumns = Partial<Omit<ClientRow, 'id' | 'agencyId' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>>;

export const toClientDto = (row: ClientRow): Client => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  website: row.website,
  address: {
    line1: row.addressLine1,
    line2: row.addressLine2,
    city: row.city,
    region: row.region,
    postalCode: row.postalCode,
    country: row.country,
  },
  currency: row.currency,
  taxId: row.taxId,
  isActive: row.isActive,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** Only the fields present in the body: an absent field is left as it is, `null` clears it. */
export function toClientColumns(body: CreateClientBody | UpdateClientBody): ClientColumns {
  const cols: ClientColumns = {};
  if (body.name !== undefined) cols.name = body.name;
  if (body.email !== undefined) cols.email = body.email?.toLowerCase() ?? null;
  if (body.phone !== undefined) cols.phone = body.phone;
  if (body.website !== undefined) cols.website = body.website;
  if (body.currency !== undefined) cols.currency = body.currency;
  if (body.taxId !== undefined) cols.taxId = body.taxId;
  if (body.isActive !== undefined) cols.isActive = body.isActive;
  if (body.address !== undefined) {
    const a = body.address;
    if (a === null) Object.assign(cols, { addressLine1: null, addressLine2: null, city: null, region: null, postalCode: null, country: null });
    else {
      if (a.line1 !== undefined) cols.addressLine1 = a.line1;
      if (a.line2 !== undefined) cols.addressLine2 = a.line2;
      if (a.city !== undefined) cols.city = a.city;
      if (a.region !== undefined) cols.region = a.region;
      if (a.postalCode !== undefined) cols.postalCode = a.postalCode;
      if (a.country !== undefined) cols.country = a.country;
    }
  }
  return cols;
}

/** A client not yet stored, with the defaults every way of creating one shares (API and import). */
export const newClientRow = (agencyId: string, now: Date): ClientRow => ({
  id: randomUUID(),
  agencyId,
  name: '',
  email: null,
  phone: null,
  website: null,
  addressLine1: null,
  addressLine2: null,
  city: null,
  region: null,
  postalCode: null,
  country: null,
  currency: 'USD',
  taxId: null,
  isActive: true,
  version: 1,
  createdAt: now,
  updatedAt: now,
  deletedAt: null,
});

/** Applies the columns that differ; true if anything changed. */
export function applyClientColumns(row: ClientRow, cols: ClientColumns): boolean {
  let changed = false;
  for (const [key, value] of Object.entries(cols) as [keyof ClientColumns, unknown][]) {
    if (value === undefined || row[key] === value) continue;
    (row as Record<keyof ClientColumns, unknown>)[key] = value;
    changed = true;
  }
  return changed;
}
