import type { ApplyRateBody, CreateRateCardBody, RateCardListQuery, RateCardSortField, RateScope, UpdateRateCardBody } from '@atelier/contracts';
import { minorUnits } from '@atelier/money';
import {
  conflictError,
  decodeCursor,
  encodeCursor,
  EDITORS,
  forbiddenError,
  invalidField,
  isUniqueViolation,
  notFoundError,
  tenantTx,
  type Db,
  type Principal,
  type Tx, transactionNow } from '@atelier/platform';
import { workDate } from '@atelier/time';
import { announceCrossings } from '../budgets/budget-service.js';
import { agencyTime } from '../settings/time-settings-service.js';
import { AGENCY_FALLBACK } from '../agency/agency-repository.js';
import { atScale, priceEntry } from '../time-entries/entry-pricing.js';
import { entryEvent, writeEntryEvents } from '../time-entries/time-entry-events.js';
import type { TimeDeps } from '../time-entries/time-entry-service.js';
import { lockProjects, selectCandidateCards, updateEntry, type TimeEntryRow } from '../time-entries/time-entry-repository.js';
import {
  deleteRateCard,
  insertRateCard,
  lockReachedEntries,
  memberExists,
  selectRateCard,
  selectRateCardPage,
  selectReachedProjects,
  selectTargetCurrency,
  updateRateCard,
} from './rate-card-repository.js';
import type { RateCardRow } from './rates-repository.js';

const rateNotFound = () => notFoundError('rate.not_found', 'Rate card not found');
const duplicate = () => conflictError('rate.duplicate', 'A card for this scope and target is already effective from that day; change it instead');
const PROJECT_SCOPES: readonly RateScope[] = ['project', 'project_member'];

/** Owners and admins manage every card; managers the cards of projects (and see all of them); members none. */
function requireRateRole(who: Principal, scope?: RateScope): void {
  if (who.role === 'owner' || who.role === 'admin') return;
  if (who.role === 'manager' && (scope === undefined || PROJECT_SCOPES.includes(scope))) return;
  throw forbiddenError('rate.forbidden', 'Only owners and admins manage rate cards (managers those of projects)');
}

function checkAmount(amount: string, currency: string): void {
  const dot = amount.indexOf('.');
  if (dot >= 0 && amount.length - dot - 1 > minorUnits(currency)) throw invalidField('rate.invalid_amount', 'amount', `must have at most ${minorUnits(currency)} decimals in ${currency}`);
}

/** Read rates: managers and above (members see the rate frozen on their own entries, not the cards). */
export function listRateCards(db: Db, who: Principal, q: RateCardListQuery) {
  if (!EDITORS.includes(who.role)) throw forbiddenError('rate.forbidden', 'Only managers and above see rate cards');
  const sort: RateCardSortField = q.sort ?? 'effectiveFrom';
  const order = q.order ?? (sort === 'scope' ? 'asc' : 'desc');
  const key = `rates:${sort}:${order}`;
  const check = sort === 'createdAt' ? 'timestamp' : sort === 'effectiveFrom' ? (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) : sort === 'amount' ? (v: string) => /^\d{1,15}(\.\d{1,4})?$/.test(v) : 'text';
  const position = decodeCursor(q.cursor, key, check);
  return tenantTx(
    db,
    who.agencyId,
    async (tx) => {
      const { rows, total } = await selectRateCardPage(tx, q, { sort, order, position, maxRows: q.limit + 1 });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const value = (r: RateCardRow) => (sort === 'createdAt' ? r.createdAt.toISOString() : sort === 'effectiveFrom' ? r.effectiveFrom : sort === 'amount' ? r.amount : r.scope);
      return { rows: page, total, nextCursor: rows.length > q.limit && last ? encodeCursor({ key, value: value(last), id: last.id }) : null };
    },
    { mode: 'snapshot' },
  );
}

/** The card's target must exist; its currency is the default of the card's. */
async function targetCurrency(tx: Tx, who: Principal, body: CreateRateCardBody): Promise<string> {
  if (body.userId && !(await memberExists(tx, body.userId))) throw invalidField('rate.target_not_found', 'userId', 'is not a member of the agency');
  if (body.projectId) {
    const currency = await selectTargetCurrency(tx, { kind: 'project', id: body.projectId });
    if (currency === undefined) throw invalidField('rate.target_not_found', 'projectId', 'is not a project of the agency');
    return currency ?? AGENCY_FALLBACK.currency;
  }
  if (body.clientId) {
    const currency = await selectTargetCurrency(tx, { kind: 'client', id: body.clientId });
    if (currency === undefined) throw invalidField('rate.target_not_found', 'clientId', 'is not a client of the agency');
    if (currency) return currency;
  }
  return (await agencyTime(tx, who.agencyId)).currency ?? AGENCY_FALLBACK.currency;
}

export async function createRateCard(db: Db, who: Principal, body: CreateRateCardBody): Promise<RateCardRow> {
  requireRateRole(who, body.scope);
  try {
    return await tenantTx(db, who.agencyId, async (tx) => {
      const currency = body.currency ?? (await targetCurrency(tx, who, body));
      if (body.currency) await targetCurrency(tx, who, body);
      checkAmount(body.amount, currency);
      const effectiveFrom = body.effectiveFrom ?? workDate(await transactionNow(tx), (await agencyTime(tx, who.agencyId)).timezone);
      return insertRateCard(tx, {
        agencyId: who.agencyId,
        scope: body.scope,
        clientId: body.clientId ?? null,
        projectId: body.projectId ?? null,
        userId: body.userId ?? null,
        amount: body.amount,
        currency,
        effectiveFrom,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'rate_cards_target_day_key')) throw duplicate();
    throw err;
  }
}

export async function getRateCard(tx: Tx, id: string): Promise<RateCardRow> {
  const row = await selectRateCard(tx, id, true);
  if (!row) throw rateNotFound();
  return row;
}

/** Existing entries keep the rate frozen on them: only new and edited entries, or an explicit apply, use the change. */
export async function changeRateCard(db: Db, who: Principal, id: string, body: UpdateRateCardBody): Promise<RateCardRow> {
  try {
    return await tenantTx(db, who.agencyId, async (tx) => {
      const card = await getRateCard(tx, id);
      requireRateRole(who, card.scope);
      const currency = body.currency ?? card.currency;
      const amount = body.amount ?? atScale(card.amount, card.currency);
      checkAmount(amount, currency);
      return updateRateCard(tx, id, { amount, currency, ...(body.effectiveFrom ? { effectiveFrom: body.effectiveFrom } : {}) });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'rate_cards_target_day_key')) throw duplicate();
    throw err;
  }
}

export function removeRateCard(db: Db, who: Principal, id: string): Promise<void> {
  return tenantTx(db, who.agencyId, async (tx) => {
    const card = await getRateCard(tx, id);
    requireRateRole(who, card.scope);
    await deleteRateCard(tx, id);
  });
}

/** A rule that keeps minutes as they are. */
const AS_ROUNDED = { mode: 'none', minutes: 1 } as const;

const priceChanged = (a: TimeEntryRow, b: TimeEntryRow) => a.hourlyRate !== b.hourlyRate || a.rateSource !== b.rateSource || a.currency !== b.currency || a.amount !== b.amount || a.rateCardId !== b.rateCardId;

/**
 * "Apply to unbilled entries": every unbilled entry the card could price (on or after `from`,
 * by default the card's first day) is priced again with the cards in force on its date, its
 * minutes as they are. Says how many entries changed; each change is a new version and event.
 */
export async function applyRateCard(deps: TimeDeps, who: Principal, id: string, body: ApplyRateBody): Promise<{ updated: number }> {
  let mail = false;
  const updated = await tenantTx(deps.db, who.agencyId, async (tx) => {
    const card = await getRateCard(tx, id);
    requireRateRole(who, card.scope);
    const from = body.from && body.from > card.effectiveFrom ? body.from : card.effectiveFrom;
    const projects = await lockProjects(tx, await selectReachedProjects(tx, card, from));
    const entries = await lockReachedEntries(tx, card, from);
    const now = await transactionNow(tx);
    const cardsByTarget = new Map<string, Awaited<ReturnType<typeof selectCandidateCards>>>();
    const events = [];
    const touched = new Set<string>();
    for (const entry of entries) {
      const project = projects.find((p) => p.id === entry.projectId);
      if (!project) continue;
      const targetKey = `${project.id}:${entry.userId}`;
      let cards = cardsByTarget.get(targetKey);
      if (!cards) {
        cards = await selectCandidateCards(tx, { projectId: project.id, clientId: project.clientId, userId: entry.userId });
        cardsByTarget.set(targetKey, cards);
      }
      // The minutes stay as they were rounded: only the rate is applied again.
      const price = priceEntry({ projectId: project.id, clientId: project.clientId, userId: entry.userId, date: entry.date, minutes: entry.roundedMinutes, isBillable: entry.isBillable, projectCurrency: project.currency }, AS_ROUNDED, cards);
      const next: TimeEntryRow = { ...entry, ...price };
      const stored = { ...entry, hourlyRate: entry.hourlyRate === null ? null : atScale(entry.hourlyRate, entry.currency), amount: atScale(entry.amount, entry.currency) };
      if (!priceChanged(stored, next)) continue;
      const saved = await updateEntry(tx, { ...next, version: entry.version + 1, updatedAt: now });
      events.push(entryEvent('projects.time_entry.updated.v1', who.agencyId, who.userId, saved, project.clientId));
      touched.add(project.id);
    }
    await writeEntryEvents(tx, events);
    mail = await announceCrossings(tx, { agencyId: who.agencyId, actorId: who.userId, jobs: deps.jobs }, projects.filter((p) => touched.has(p.id)), now);
    return events.length;
  });
  if (mail) deps.jobs.wake();
  return { updated };
}
