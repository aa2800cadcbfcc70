import { isCurrencyCode, minorUnits } from '@atelier/money';
import type { CreateProjectBody, Project, ProjectListQuery, UpdateProjectBody } from '@atelier/contracts';
import {
  EDITORS,
  conflictError,
  decodeCursor,
  encodeCursor,
  forbiddenError,
  invalid,
  invalidField,
  notFoundError,
  tenantTx,
  writeEvent,
  type AttachmentService,
  type Db,
  type Principal,
  type Tx,
} from '@atelier/platform';
import { agencyToday } from '../agency/agency-repository.js';
import { removeProjectAttachments } from '../attachments/attachment-service.js';
import { selectLiveClient } from '../client-replica/client-repository.js';
import { outbox } from '../db/schema.js';
import { FROM_THE_START, deleteProjectRates, projectRatesOn, setProjectRatesCurrency, upsertProjectRate } from '../rates/rates-repository.js';
import { changedProjectFields, toProjectColumns, toProjectDto, type ProjectRow } from './project-mapper.js';
import { hasTimeEntries, insertProject, invoicedTimeOf, selectProject, selectProjectPage, softDeleteProject, updateProject as updateProjectRow } from './project-repository.js';

export const projectNotFound = () => notFoundError('project.not_found', 'Project not found');

const requireEditor = (who: Principal) => {
  if (!EDITORS.includes(who.role)) throw forbiddenError('project.forbidden', 'Only owners, admins and managers change projects');
};

/** A live project of the agency, or `project.not_found`. */
export async function requireProject(tx: Tx, id: string, lock?: 'update' | 'board'): Promise<ProjectRow> {
  const row = await selectProject(tx, id, lock);
  if (!row) throw projectNotFound();
  return row;
}

/** The client a project is for: live and active in the replica, or a 400 naming `clientId`. */
async function requireActiveClient(tx: Tx, clientId: string) {
  const client = await selectLiveClient(tx, clientId);
  if (!client?.isActive) throw invalidField('project.client_inactive', 'clientId', 'must be an active client of the agency');
  return client;
}

/** Significant decimals of a decimal string ("150.5000" → 1, "150.00" → 0). */
const decimalsOf = (v: string) => {
  const trimmed = v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v;
  return trimmed.includes('.') ? trimmed.length - trimmed.indexOf('.') - 1 : 0;
};

/**
 * Amounts with more decimals than the currency has: a body that names no currency is checked
 * against the project's, and a new currency against the amounts the project already has.
 */
function checkAmounts(currency: string, amounts: Record<string, string | null | undefined>) {
  if (!isCurrencyCode(currency)) return;
  const scale = minorUnits(currency);
  const errors = Object.entries(amounts).flatMap(([path, v]) => {
    if (typeof v !== 'string') return [];
    const decimals = decimalsOf(v);
    return decimals > scale ? [{ path, message: scale === 0 ? `must be a whole amount in ${currency}` : `must have at most ${scale} decimals in ${currency}` }] : [];
  });
  if (errors.length > 0) throw invalid('project.invalid_amount', 'An amount does not fit the currency', errors);
}

async function dtoOf(tx: Tx, row: ProjectRow): Promise<Project> {
  const rates = await projectRatesOn(tx, [row.id], await agencyToday(tx));
  return toProjectDto(row, rates.get(row.id) ?? null);
}

const cursorValue = (row: ProjectRow, sort: NonNullable<ProjectListQuery['sort']>): string => {
  switch (sort) {
    case 'createdAt':
      return row.createdAt.toISOString();
    case 'updatedAt':
      return row.updatedAt.toISOString();
    case 'startDate':
      return row.startDate ?? '9999-12-31';
    case 'dueDate':
      return row.dueDate ?? '9999-12-31';
    case 'status':
      return row.status;
    default:
      return row.name;
  }
};
const isIsoDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));

/** The list: one snapshot for the page and its total, keyset cursor on (sort, id). */
export function listProjects(db: Db, who: Principal, q: ProjectListQuery) {
  const sort = q.sort ?? 'name';
  const order = q.order ?? (sort === 'name' || sort === 'status' || sort === 'startDate' || sort === 'dueDate' ? 'asc' : 'desc');
  const cursorKey = `projects:${sort}:${order}`;
  const position = decodeCursor(q.cursor, cursorKey, sort === 'createdAt' || sort === 'updatedAt' ? 'timestamp' : sort === 'startDate' || sort === 'dueDate' ? isIsoDate : 'text');
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const { rows, total } = await selectProjectPage(tx, q, { sort, order, position, maxRows: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const rates = await projectRatesOn(tx, page.map((r) => r.id), await agencyToday(tx));
      const last = page.at(-1);
      const nextCursor = rows.length > q.limit && last ? encodeCursor({ key: cursorKey, value: cursorValue(last, sort), id: last.id }) : null;
      return { data: page.map((r) => toProjectDto(r, rates.get(r.id) ?? null)), nextCursor, total };
    },
    { mode: 'snapshot' },
  );
}

export function getProject(db: Db, who: Principal, id: string): Promise<Project> {
  return tenantTx(db, who.agencyId, async (tx) => dtoOf(tx, await requireProject(tx, id)));
}

export function createProject(db: Db, who: Principal, body: CreateProjectBody): Promise<Project> {
  requireEditor(who);
  return tenantTx(db, who.agencyId, async (tx) => {
    const client = await requireActiveClient(tx, body.clientId);
    const currency = body.currency ?? client.currency;
    checkAmounts(currency, { budgetAmount: body.budgetAmount, hourlyRate: body.hourlyRate });
    const row = await insertProject(tx, { ...toProjectColumns(body), agencyId: who.agencyId, clientId: client.id, name: body.name, currency, createdBy: who.userId });
    if (body.hourlyRate != null) await upsertProjectRate(tx, { agencyId: who.agencyId, projectId: row.id, amount: body.hourlyRate, currency, effectiveFrom: FROM_THE_START });
    const project = await dtoOf(tx, row);
    await writeEvent(tx, outbox, {
      name: 'projects.project.created.v1',
      agencyId: who.agencyId,
      actorId: who.userId,
      payload: { clientId: row.clientId, project, version: row.version },
    });
    return project;
  });
}

/**
 * Every update is a new version and an event. `hourlyRate` changes the project's rate from today
 * on (a card effective today); null removes the project's own rate (entries keep theirs).
 */
export function updateProject(db: Db, who: Principal, id: string, body: UpdateProjectBody): Promise<Project> {
  requireEditor(who);
  return tenantTx(db, who.agencyId, async (tx) => {
    const current = await requireProject(tx, id, 'update');
    const before = await dtoOf(tx, current);
    if (body.clientId !== undefined && body.clientId !== current.clientId) await requireActiveClient(tx, body.clientId);
    const currency = body.currency ?? current.currency;
    if (currency !== current.currency) {
      if (await hasTimeEntries(tx, id)) {
        throw conflictError('project.currency_locked', 'The project has time entries; its currency can no longer change', [{ path: 'currency', message: 'cannot change once time is logged' }]);
      }
      const cards = await setProjectRatesCurrency(tx, id, currency);
      const kept = { budgetAmount: body.budgetAmount === undefined ? current.budgetAmount : null, hourlyRate: body.hourlyRate === undefined ? cards.find((c) => c.scope === 'project')?.amount : null };
      checkAmounts(currency, kept);
    }
    checkAmounts(currency, { budgetAmount: body.budgetAmount, hourlyRate: body.hourlyRate });
    const row = await updateProjectRow(tx, id, toProjectColumns(body));
    if (body.hourlyRate === null) await deleteProjectRates(tx, id);
    else if (body.hourlyRate !== undefined && body.hourlyRate !== before.hourlyRate) {
      await upsertProjectRate(tx, { agencyId: who.agencyId, projectId: id, amount: body.hourlyRate, currency, effectiveFrom: await agencyToday(tx) });
    }
    const project = await dtoOf(tx, row);
    await writeEvent(tx, outbox, {
      name: 'projects.project.updated.v1',
      agencyId: who.agencyId,
      actorId: who.userId,
      payload: { clientId: row.clientId, project, version: row.version, changes: changedProjectFields(before, project) },
    });
    return project;
  });
}

/** Soft delete, refused while any of the project's time is on an invoice; its and its tasks' attachments go with it. */
export function deleteProject(db: Db, attachments: AttachmentService, who: Principal, id: string): Promise<void> {
  requireEditor(who);
  return tenantTx(db, who.agencyId, async (tx) => {
    await requireProject(tx, id, 'update');
    const invoiced = await invoicedTimeOf(tx, id);
    if (invoiced) {
      const invoice = invoiced.invoiceNumber ? `invoice ${invoiced.invoiceNumber}` : `a draft invoice (${invoiced.invoiceId})`;
      throw conflictError('project.has_invoiced_time', `Some of the project's time is on ${invoice}`);
    }
    const row = await softDeleteProject(tx, id);
    if (!row?.deletedAt) throw projectNotFound();
    await removeProjectAttachments(tx, attachments, who.agencyId, who.userId, row.id);
    await writeEvent(tx, outbox, {
      name: 'projects.project.deleted.v1',
      agencyId: who.agencyId,
      actorId: who.userId,
      payload: { clientId: row.clientId, projectId: row.id, name: row.name, version: row.version, deletedAt: row.deletedAt.toISOString() },
    });
  });
}
