import type { ImportEntity } from './types';

/**
 * The fields a CSV column can be imported into (and exported from), per entity, with labels
 * people recognise. Mirrors `importFields` in libs/contracts/src/http/imports.ts.
 */
export const entityFields: Record<ImportEntity, readonly { field: string; label: string }[]> = {
  clients: [
    { field: 'name', label: 'Name' },
    { field: 'email', label: 'Email' },
    { field: 'phone', label: 'Phone' },
    { field: 'website', label: 'Website' },
    { field: 'addressLine1', label: 'Address line 1' },
    { field: 'addressLine2', label: 'Address line 2' },
    { field: 'city', label: 'City' },
    { field: 'region', label: 'Region' },
    { field: 'postalCode', label: 'Postal code' },
    { field: 'country', label: 'Country' },
    { field: 'currency', label: 'Currency' },
    { field: 'taxId', label: 'Tax ID' },
    { field: 'isActive', label: 'Active' },
  ],
  contacts: [
    { field: 'clientName', label: 'Client name' },
    { field: 'clientEmail', label: 'Client email' },
    { field: 'firstName', label: 'First name' },
    { field: 'lastName', label: 'Last name' },
    { field: 'email', label: 'Email' },
    { field: 'phone', label: 'Phone' },
    { field: 'title', label: 'Job title' },
    { field: 'isPrimary', label: 'Primary contact' },
  ],
};

/** Extra columns an export can include (not imported back: the importer ignores them). */
export const exportOnlyFields: Record<ImportEntity, readonly { field: string; label: string }[]> = {
  clients: [
    { field: 'id', label: 'ID' },
    { field: 'createdAt', label: 'Created' },
    { field: 'updatedAt', label: 'Last updated' },
  ],
  contacts: [
    { field: 'id', label: 'ID' },
    { field: 'clientId', label: 'Client ID' },
    { field: 'phoneE164', label: 'Phone (international format)' },
    { field: 'createdAt', label: 'Created' },
    { field: 'updatedAt', label: 'Last updated' },
  ],
};

export const entityNames: Record<ImportEntity, { one: string; many: string; Many: string }> = {
  clients: { one: 'client', many: 'clients', Many: 'Clients' },
  contacts: { one: 'contact', many: 'contacts', Many: 'Contacts' },
};

export function fieldLabel(entity: ImportEntity, field: string): string {
  return entityFields[entity].find((f) => f.field === field)?.label ?? field;
}

export const isImportEntity = (v: string | null | undefined): v is ImportEntity => v === 'clients' || v === 'contacts';

/** "Ada Lovelace", or just "Ada". */
export function contactName(c: { firstName: string; lastName: string | null }): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ');
}

/** Export URL for the CSV download (a plain navigation, so the browser saves the file). */
export function exportUrl(
  entity: ImportEntity,
  options: { fields: string[]; search?: string; isActive?: boolean; clientId?: string; bom?: boolean },
): string {
  const params = new URLSearchParams();
  if (options.fields.length) params.set('fields', options.fields.join(','));
  if (options.search) params.set('search', options.search);
  if (options.isActive !== undefined) params.set('isActive', String(options.isActive));
  if (options.clientId) params.set('clientId', options.clientId);
  if (options.bom) params.set('bom', 'true');
  const q = params.toString();
  return `/api/exports/${entity}.csv${q ? `?${q}` : ''}`;
}

/** A same-site path we may send people back to (never another origin). */
export function safeReturnPath(value: string | null | undefined, fallback: string): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  return value;
}

/** A list's current filters, carried into the export dialog. */
export interface ExportFilters {
  search?: string;
  /** Clients only. */
  isActive?: boolean;
  /** Contacts only. */
  clientId?: string;
}
