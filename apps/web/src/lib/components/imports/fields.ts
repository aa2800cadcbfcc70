import type { ImportEntity, ImportField } from '@atelier/contracts';
import { fieldLabels, importFields } from 'virtual:contract-limits';

type Labelled = { field: string; label: string };
const labelOf = (entity: ImportEntity, field: string): string => (fieldLabels[entity] as Record<string, string>)[field] ?? field;

/** The fields a CSV column can be imported into (and exported from), in the contract's order, with its labels. */
export const entityFields: { [E in ImportEntity]: readonly { field: ImportField<E>; label: string }[] } = {
  clients: importFields.clients.map((field) => ({ field, label: labelOf('clients', field) })),
  contacts: importFields.contacts.map((field) => ({ field, label: labelOf('contacts', field) })),
};

/** Extra columns an export can include (the importer ignores them): the labelled fields that are not importable. */
export const exportOnlyFields: Record<ImportEntity, readonly Labelled[]> = {
  clients: Object.keys(fieldLabels.clients)
    .filter((f) => !(importFields.clients as readonly string[]).includes(f))
    .map((field) => ({ field, label: labelOf('clients', field) })),
  contacts: Object.keys(fieldLabels.contacts)
    .filter((f) => !(importFields.contacts as readonly string[]).includes(f))
    .map((field) => ({ field, label: labelOf('contacts', field) })),
};

export const entityNames: Record<ImportEntity, { one: string; many: string; Many: string }> = {
  clients: { one: 'client', many: 'clients', Many: 'Clients' },
  contacts: { one: 'contact', many: 'contacts', Many: 'Contacts' },
};

export const fieldLabel = labelOf;

export const isImportEntity = (v: string | null | undefined): v is ImportEntity => v === 'clients' || v === 'contacts';

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
  if (options.bom !== undefined) params.set('bom', String(options.bom));
  const q = params.toString();
  return `/api/exports/${entity}.csv${q ? `?${q}` : ''}`;
}

/** A list's current filters, carried into the export dialog. */
export interface ExportFilters {
  search?: string;
  /** Clients only. */
  isActive?: boolean;
  /** Contacts only. */
  clientId?: string;
}
