import type { InvoiceSummary, InvoiceSummaryQuery } from '@atelier/contracts';
import { tenantTx, type Db, type Principal } from '@atelier/platform';
import { requireInvoiceRole } from '../invoices/invoice-service.js';
import { toInvoiceSummary } from './invoice-summary-mapper.js';
import { selectPaidSince, selectSumsByStatus } from './invoice-summary-repository.js';

/** The list tabs' and the dashboard's figures, from one snapshot (so the parts agree with each other). */
export function invoiceSummary(db: Db, who: Principal, q: InvoiceSummaryQuery): Promise<InvoiceSummary> {
  requireInvoiceRole(who);
  const { paidSince, ...filters } = q;
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const rows = await selectSumsByStatus(tx, filters);
      const paid = paidSince ? await selectPaidSince(tx, filters, paidSince) : null;
      return toInvoiceSummary(rows, paid);
    },
    { mode: 'snapshot' },
  );
}
