import type { Invoice, InvoiceFromTimeBody, UnbilledList, UnbilledQuery } from '@atelier/contracts';
import { MAX_INVOICE_LINES } from '@atelier/contracts';
import { Money } from '@atelier/money';
import { conflictError, invalidField, notFoundError, tenantTx, type Db, type Principal } from '@atelier/platform';
import { getInvoiceDto, insertDraft, requireInvoiceRole } from '../invoices/invoice-service.js';
import { timeLines, type BillableEntry } from './time-lines.js';
import { toUnbilledProject } from './unbilled-mapper.js';
import { lockProjectTime, selectBillableEntries, selectProjectForInvoice, selectUnbilledPerProject } from './unbilled-repository.js';

/** What is ready to bill, per project (and currency, should a project's rates be in several). Invoices' roles: rates and amounts are for managers and above. */
export function listUnbilled(db: Db, who: Principal, q: UnbilledQuery): Promise<UnbilledList> {
  requireInvoiceRole(who);
  return tenantTx(db, who.agencyId, async (tx) => ({ data: (await selectUnbilledPerProject(tx, q.clientId)).map(toUnbilledProject) }));
}

/** The invoice's currency: the project's when its time is in it, else the one most of the time is in (the rest stays unbilled). */
function currencyOf(entries: readonly (BillableEntry & { currency: string })[], projectCurrency: string): string {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.currency, (counts.get(e.currency) ?? 0) + 1);
  if (counts.has(projectCurrency)) return projectCurrency;
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
}

/**
 * A draft of the project's unbilled billable time between `from` and `to`: lines per entry,
 * task, member or day at the entries' frozen rates (time-lines), the entries reserved on it
 * (`billing.invoice.drafted.v1` asks projects to lock them). Concurrent calls for one project
 * are serialised, so the second takes only what is left, or gets `invoice.no_unbilled_time`.
 */
export function draftFromTime(db: Db, who: Principal, body: InvoiceFromTimeBody): Promise<Invoice> {
  requireInvoiceRole(who);
  return tenantTx(db, who.agencyId, async (tx) => {
    const project = await selectProjectForInvoice(tx, body.projectId);
    if (!project) throw notFoundError('project.not_found', 'Project not found');
    if (!project.clientLive) throw invalidField('invoice.client_unknown', 'projectId', "names a project whose client is deleted or not known to billing yet");
    await lockProjectTime(tx, project.id);
    const all = await selectBillableEntries(tx, body);
    if (all.length === 0) throw conflictError('invoice.no_unbilled_time', 'The project has no unbilled billable time in that range');
    const currency = currencyOf(all, project.currency);
    const entries = all
      .filter((e) => e.currency === currency)
      .map((e) => ({ ...e, hourlyRate: e.hourlyRate === null ? null : Money.round(e.hourlyRate, currency).amount, amount: Money.round(e.amount, currency).amount }));
    const lines = timeLines(entries, body.groupBy, currency);
    if (lines.length > MAX_INVOICE_LINES) {
      throw invalidField('invoice.too_many_lines', 'groupBy', `makes ${lines.length} lines, more than an invoice holds (${MAX_INVOICE_LINES}); group by task, member or day, or narrow from/to`);
    }
    const row = await insertDraft(tx, who, { clientId: project.clientId, projectId: project.id, currency, lines });
    return getInvoiceDto(tx, row.id);
  });
}
