import type { InvoicingSettings, UpdateInvoicingSettingsBody } from '@atelier/contracts';
import { forbiddenError, tenantTx, type Db, type Principal, type Tx } from '@atelier/platform';
import { toInvoicingSettings, toInvoicingSettingsColumns } from './invoicing-settings-mapper.js';
import { selectInvoicingSettings, upsertInvoicingSettings } from './invoicing-settings-repository.js';

/** The settings a use case applies (defaults when the agency never saved any). */
export async function invoicingSettingsOf(tx: Tx): Promise<InvoicingSettings> {
  return toInvoicingSettings(await selectInvoicingSettings(tx));
}

/** Numbering, terms and the sender's name are the agency's business: owners and admins only, for reading too. */
const requireSettingsAdmin = (who: Principal) => {
  if (who.role !== 'owner' && who.role !== 'admin') throw forbiddenError('invoicing_settings.forbidden', 'Only owners and admins see and change the invoicing settings');
};

export function getInvoicingSettings(db: Db, who: Principal): Promise<InvoicingSettings> {
  requireSettingsAdmin(who);
  return tenantTx(db, who.agencyId, (tx) => invoicingSettingsOf(tx));
}

/**
 * A change applies to drafts made from now on (rounding, tax rate, terms) and to numbers issued
 * from now on; existing drafts keep the rounding they were made with, issued numbers never change.
 */
export function updateInvoicingSettings(db: Db, who: Principal, body: UpdateInvoicingSettingsBody): Promise<InvoicingSettings> {
  requireSettingsAdmin(who);
  return tenantTx(db, who.agencyId, async (tx) => {
    const current = await invoicingSettingsOf(tx);
    const defined = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<InvoicingSettings>;
    const next: InvoicingSettings = { ...current, ...defined };
    return toInvoicingSettings(await upsertInvoicingSettings(tx, who.agencyId, toInvoicingSettingsColumns(next)));
  });
}
